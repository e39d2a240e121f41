/**
 * Webhook events: what each ticket change, SLA alert and rating means to a subscriber, and the
 * delivery rows that carry it, written in the change's own transaction and sent after commit.
 * Payloads never carry internal notes or message texts: only the ticket's public fields.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { ConversationRef } from '../chat/chat.ts';
import { json, type Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { jobId } from '../jobs/jobs.ts';
import type { TicketChange } from '../tickets/ticket.hooks.ts';
import type { TicketRow } from '../tickets/ticket.table.ts';
import { afterCommit } from '../unit-of-work.ts';

export const WEBHOOK_EVENTS = [
  'ticket.created',
  'ticket.updated',
  'ticket.resolved',
  'ticket.closed',
  'ticket.reopened',
  'sla.warning',
  'sla.breached',
  'csat.received',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
/** Sent only by `webhook test`, whatever the webhook subscribes to. */
export const TEST_EVENT = 'webhook.test';

export function isWebhookEvent(value: string): value is WebhookEvent {
  return (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

/** The ticket fields `ticket.updated` reports, under their payload names. */
const TRACKED = { status: 'status', priority: 'priority', assignee_id: 'assignee' } as const;

interface PersonRef {
  name: string;
  email: string | null;
}

async function personRef(tx: Tx, id: number | null): Promise<PersonRef | null> {
  if (id === null) return null;
  const row = await tx
    .selectFrom('people')
    .select(['display_name', 'email'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { name: row.display_name, email: row.email } : null;
}

const iso = (at: Date | null) => (at ? at.toISOString() : null);

/** The ticket as every payload shows it (documented in docs/webhooks.schema.json). */
async function ticketPayload(tx: Tx, ticket: TicketRow) {
  return {
    number: ticket.number,
    title: ticket.title,
    status: ticket.status,
    priority: ticket.priority,
    category: ticket.category,
    requester: await personRef(tx, ticket.requester_id),
    assignee: await personRef(tx, ticket.assignee_id),
    csat: ticket.csat,
    created_at: iso(ticket.created_at),
    updated_at: iso(ticket.updated_at),
    first_response_at: iso(ticket.first_response_at),
    first_response_due_at: iso(ticket.first_response_due_at),
    resolution_due_at: iso(ticket.resolution_due_at),
    resolved_at: iso(ticket.resolved_at),
    closed_at: iso(ticket.closed_at),
  };
}

/** The events one ticket change means: at most one, with the changed fields before and after. */
async function eventsOf(
  tx: Tx,
  change: TicketChange,
): Promise<Array<{ event: WebhookEvent; data: Record<string, unknown> }>> {
  const { ticket, before } = change;
  if (change.type === 'created') return [{ event: 'ticket.created', data: {} }];
  if (change.type === 'csat' && ticket.csat !== null) {
    return [{ event: 'csat.received', data: { csat: { score: ticket.csat } } }];
  }
  if (change.type === 'sla_breached') {
    return [{ event: 'sla.breached', data: { sla: slaOf(change.event?.after) } }];
  }
  if (!before) return [];
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, name] of Object.entries(TRACKED) as Array<[keyof typeof TRACKED, string]>) {
    if (before[field] === ticket[field]) continue;
    changes[name] =
      field === 'assignee_id'
        ? { from: await personRef(tx, before.assignee_id), to: await personRef(tx, ticket.assignee_id) }
        : { from: before[field], to: ticket[field] };
  }
  if (Object.keys(changes).length === 0) return [];
  const statusMoved = before.status !== ticket.status;
  const wasDone = before.status === 'resolved' || before.status === 'closed';
  const event: WebhookEvent =
    statusMoved && ticket.status === 'resolved'
      ? 'ticket.resolved'
      : statusMoved && ticket.status === 'closed'
        ? 'ticket.closed'
        : statusMoved && wasDone
          ? 'ticket.reopened'
          : 'ticket.updated';
  return [{ event, data: { changes } }];
}

function slaOf(after: Record<string, unknown> | undefined) {
  return { target: String(after?.target ?? ''), due_at: String(after?.dueAt ?? '') };
}

export interface EmitInput {
  event: WebhookEvent | typeof TEST_EVENT;
  ticket?: TicketRow | undefined;
  data?: Record<string, unknown>;
  /** Only this webhook (a test), whatever it subscribes to. */
  webhookId?: number;
  replyTo?: ConversationRef;
}

/**
 * Writes one delivery per enabled webhook that subscribes to the event, in `tx`; each is enqueued
 * once `tx` commits (the recovery job enqueues any that were lost). Returns the delivery ids.
 */
export async function emitWebhookEvent(
  deps: Pick<CoreDeps, 'jobs' | 'clock' | 'log'>,
  tx: Tx,
  input: EmitInput,
): Promise<number[]> {
  let query = tx.selectFrom('webhooks').select(['id']).where('enabled', '=', true);
  query = input.webhookId
    ? query.where('id', '=', input.webhookId)
    : query.where(sql<boolean>`${input.event} = any(events)`);
  const hooks = await query.orderBy('id').execute();
  if (hooks.length === 0) return [];
  const eventId = `evt_${randomUUID()}`;
  const payload = {
    id: eventId,
    type: input.event,
    created_at: deps.clock.now().toISOString(),
    data: {
      ...(input.ticket ? { ticket: await ticketPayload(tx, input.ticket) } : {}),
      ...input.data,
    },
  };
  const ids: number[] = [];
  for (const hook of hooks) {
    const row = await tx
      .insertInto('webhook_deliveries')
      .values({
        webhook_id: hook.id,
        event_id: eventId,
        event: input.event,
        ticket_id: input.ticket?.id ?? null,
        payload: json(payload),
        last_error: null,
        last_status: null,
        next_attempt_at: deps.clock.now(),
        locked_until: null,
        reply_to: input.replyTo ? json(input.replyTo) : null,
        delivered_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  afterCommit(tx, async () => {
    for (const id of ids) {
      await deps.jobs.enqueue('webhook-deliver', { deliveryId: id }, { jobId: jobId('webhook', id) });
    }
  });
  return ids;
}

/** The ticket hook: every change (filing included) becomes its webhook event, if it means one. */
export async function webhookTicketHook(tx: Tx, deps: CoreDeps, change: TicketChange): Promise<void> {
  // Most helpdesks have none: one cheap look before working out what the change means.
  const any = await tx
    .selectFrom('webhooks')
    .select('id')
    .where('enabled', '=', true)
    .limit(1)
    .executeTakeFirst();
  if (!any) return;
  for (const { event, data } of await eventsOf(tx, change)) {
    await emitWebhookEvent(deps, tx, { event, ticket: change.ticket, data });
  }
}
