import type { Kysely, Transaction } from 'kysely';
import type { ApiKeyTables } from './apikeys/apikey.table.ts';
import type { ApprovalTables } from './approvals/approval.table.ts';
import type { AssignmentTables } from './assignment/assignment.table.ts';
import type { AuditTables } from './audit/audit.table.ts';
import type { ConversationTables } from './conversations/conversation.table.ts';
import type { InstallationTables } from './conversations/installation.table.ts';
import type { FormTables } from './forms/form.table.ts';
import type { InboxTables } from './inbox/inbox.table.ts';
import type { JsmTables } from './jsm/jsm.table.ts';
import type { KnowledgeTables } from './kb/kb.table.ts';
import type { OutboxTables } from './outbox/outbox.table.ts';
import type { PeopleTables } from './people/people.table.ts';
import type { PrivacyTables } from './privacy/privacy.table.ts';
import type { SettingsTables } from './settings/settings.table.ts';
import type { SlaTables } from './sla/sla.table.ts';
import type { StatsTables } from './stats/stats.table.ts';
import type { TicketTables } from './tickets/ticket.table.ts';
import type { TimeTables } from './time/time.table.ts';
import type { WebhookTables } from './webhooks/webhook.table.ts';

/** Every table, as each feature declares it beside its code. */
export interface Database
  extends PeopleTables,
    ApiKeyTables,
    ApprovalTables,
    FormTables,
    AuditTables,
    ConversationTables,
    InstallationTables,
    InboxTables,
    OutboxTables,
    TicketTables,
    SettingsTables,
    SlaTables,
    StatsTables,
    KnowledgeTables,
    PrivacyTables,
    WebhookTables,
    JsmTables,
    AssignmentTables,
    TimeTables {}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Repositories take either, so a call can join its caller's transaction. */
export type DbOrTx = Db | Tx;

/** JSON columns are written as text; this keeps that in one place. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}
