import type { ColumnType, Generated, Selectable } from 'kysely';
import type { ConversationRef, Dialog, OutMessage } from '../chat/chat.ts';

export type OutboxOp = 'post' | 'update' | 'ephemeral' | 'dialog' | 'home';
/** `undeliverable`: the bot was removed from where it was going (kept, with the reason). */
export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'undeliverable';

export interface OutboxBody {
  message?: OutMessage | undefined;
  messages?: OutMessage[] | undefined;
  dialog?: Dialog | undefined;
  /** For ephemeral messages: who sees it. */
  userId?: string | undefined;
  triggerId?: string | undefined;
}

export interface OutboxTable {
  id: Generated<number>;
  idempotency_key: string;
  platform: string;
  op: OutboxOp;
  target: ColumnType<ConversationRef, string, string>;
  /** Messages in one lane (a conversation or thread) are delivered in order. */
  lane: string;
  body: ColumnType<OutboxBody, string, string>;
  ticket_id: number | null;
  purpose: string | null;
  /** Post into the thread started by that outbox row, once it has been delivered. */
  thread_of: number | null;
  /** Update the message that outbox row posted, once it has been delivered. */
  update_of: number | null;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  last_error: string | null;
  /** A worker holds the row while it sends, so two never send the same row at once. */
  locked_until: Date | null;
  platform_message_id: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  sent_at: Date | null;
  /** The earliest the row may be sent again (Retry-After, backoff): no job sends it sooner. */
  next_attempt_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** A dead letter's short cause (`channel_not_found`, `retries_exhausted`, `bot_removed`). */
  reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** Re-sends an admin asked for (`helpdesk deadletters retry`); names the re-sent row's job. */
  retries: Generated<number>;
}

/** A workspace (Slack team, Teams tenant) whose token the platform refuses: its deliveries wait. */
export interface DeliveryPausesTable {
  platform: string;
  tenant: string;
  /** What the platform said (`invalid_auth`, `http_401`). */
  reason: string;
  paused_at: Generated<Date>;
  /** The last probe that found the token still refused. */
  probed_at: Date | null;
}

export interface OutboxTables {
  outbox: OutboxTable;
  delivery_pauses: DeliveryPausesTable;
}

export type OutboxRow = Selectable<OutboxTable>;
