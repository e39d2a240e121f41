import type { ColumnType, Generated } from 'kysely';
import type { ChatEvent } from '../chat/chat.ts';

export type InboundStatus = 'pending' | 'done' | 'failed';

export interface InboundEventsTable {
  id: Generated<number>;
  platform: string;
  event_id: string;
  kind: string;
  payload: ColumnType<ChatEvent, string, string>;
  status: Generated<InboundStatus>;
  attempts: Generated<number>;
  error: string | null;
  received_at: ColumnType<Date, Date | undefined, never>;
  processed_at: Date | null;
  /** The conversation thread the event belongs to; events of one lane are processed in order. */
  lane: ColumnType<string | null, string | null | undefined, never>;
  /** Re-runs an admin asked for (`helpdesk deadletters retry`); names the re-run's job. */
  retries: Generated<number>;
  /**
   * For a command the platform gives a fresh id each time it is typed (a Slack trigger_id): a hash
   * of platform, workspace, conversation, sender and text, so a retype is recognised.
   */
  repeat_key: ColumnType<string | null, string | null | undefined, never>;
}

export interface InboxTables {
  inbound_events: InboundEventsTable;
}
