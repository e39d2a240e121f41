import type { ColumnType, Generated, Selectable } from 'kysely';
import type { ConversationRef } from '../chat/chat.ts';
import type { Priority, TicketStatus } from './ticket.ts';

type Json<T> = ColumnType<T, string | null, string | null>;

export interface TicketsTable {
  id: Generated<number>;
  number: Generated<number>;
  requester_id: number;
  assignee_id: number | null;
  title: string;
  description: string;
  category: string;
  priority: Priority;
  status: TicketStatus;
  intent: string | null;
  language: string | null;
  sentiment: string | null;
  self_service: boolean | null;
  source_conversation_id: number | null;
  source_event_id: number | null;
  resolution: string | null;
  escalation_level: Generated<number>;
  csat: number | null;
  first_response_at: Date | null;
  first_response_due_at: Date | null;
  resolution_due_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type ThreadRole = 'triage' | 'requester';

export interface TicketThreadsTable {
  id: Generated<number>;
  ticket_id: number;
  role: ThreadRole;
  platform: string;
  channel: string;
  /** The thread replies go to: known at once for a requester, after delivery for a triage card. */
  thread: string | null;
  ref: ColumnType<ConversationRef, string, string>;
  /** The outbox row that posted the ticket card here, so the card can be updated in place. */
  card_outbox_id: number | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface TicketEventsTable {
  id: Generated<number>;
  ticket_id: number;
  actor_id: number | null;
  type: string;
  visibility: Generated<'public' | 'internal'>;
  before: Json<Record<string, unknown> | null>;
  after: Json<Record<string, unknown> | null>;
  body: string | null;
  created_at: Date;
}

/** A file or image on a request or reply, by its platform link (the bytes stay on the platform). */
export interface TicketAttachmentsTable {
  id: Generated<number>;
  ticket_id: number;
  platform: string;
  name: string;
  content_type: string | null;
  size_bytes: number | null;
  /** '' when the platform gave no link. */
  url: Generated<string>;
  added_by: number | null;
  /** An attachment on an internal note is shown to agents only. */
  visibility: Generated<'public' | 'internal'>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface TicketTables {
  ticket_attachments: TicketAttachmentsTable;
  tickets: TicketsTable;
  ticket_threads: TicketThreadsTable;
  ticket_events: TicketEventsTable;
}

export type TicketRow = Selectable<TicketsTable>;
export type TicketThreadRow = Selectable<TicketThreadsTable>;
export type TicketEventRow = Selectable<TicketEventsTable>;
