import type { ColumnType, Generated, Selectable } from 'kysely';
import type { ConversationRef } from '../chat/chat.ts';

export interface ConversationsTable {
  id: Generated<number>;
  platform: string;
  tenant: string;
  channel: string;
  /** '' when the conversation has no thread. */
  thread: Generated<string>;
  is_direct: Generated<boolean>;
  ref: ColumnType<ConversationRef, string, string>;
  /** Agent state for a conversation in progress (a clarifying question asked, ...). */
  state: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ConversationTables {
  conversations: ConversationsTable;
}

export type ConversationRow = Selectable<ConversationsTable>;
