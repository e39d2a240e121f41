import type { ColumnType, Generated, Selectable } from 'kysely';
import type { ConversationRef } from '../chat/chat.ts';

export interface WebhooksTable {
  id: Generated<number>;
  url: string;
  events: ColumnType<string[], string[], string[]>;
  secret: string;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  failing_since: Date | null;
  disabled_at: Date | null;
  disabled_reason: string | null;
  created_by: number | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export type DeliveryStatus = 'pending' | 'sent' | 'failed';

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: number;
  event_id: string;
  event: string;
  ticket_id: number | null;
  payload: ColumnType<Record<string, unknown>, string, string>;
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  last_status: number | null;
  next_attempt_at: Date | null;
  locked_until: Date | null;
  reply_to: ColumnType<ConversationRef | null, string | null, string | null>;
  created_at: ColumnType<Date, Date | undefined, never>;
  delivered_at: Date | null;
}

export type WebhookRow = Selectable<WebhooksTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

export interface WebhookTables {
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
