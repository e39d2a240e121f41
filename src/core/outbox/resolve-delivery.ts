import type { Delivery } from '../chat/notifier.ts';
import type { CoreDeps } from '../deps.ts';
import type { OutboxRow } from './outbox.table.ts';

/**
 * What a row asks the platform to do, with the platform ids of the messages it threads under or
 * updates; `wait` while one of those is not posted yet, `fail` when it never will be.
 */
export type Resolved =
  | { kind: 'ok'; delivery: Delivery }
  | { kind: 'wait'; reason: string }
  | { kind: 'fail'; reason: string };

export async function resolveDelivery(deps: Pick<CoreDeps, 'db'>, row: OutboxRow): Promise<Resolved> {
  let target = row.target;
  if (row.thread_of) {
    const root = await messageIdOf(deps, row.thread_of);
    if (root.kind !== 'ok') return root;
    target = { ...target, thread: root.messageId };
  }
  const body = row.body;
  switch (row.op) {
    case 'post':
      return { kind: 'ok', delivery: { op: 'post', target, message: body.message ?? { text: '' } } };
    case 'ephemeral':
      return {
        kind: 'ok',
        delivery: {
          op: 'ephemeral',
          target,
          userId: body.userId ?? '',
          message: body.message ?? { text: '' },
        },
      };
    case 'dialog':
      if (!body.dialog) return { kind: 'fail', reason: 'dialog without a form' };
      return {
        kind: 'ok',
        delivery: { op: 'dialog', target, triggerId: body.triggerId ?? '', dialog: body.dialog },
      };
    case 'home':
      return {
        kind: 'ok',
        delivery: { op: 'home', target, userId: body.userId ?? '', messages: body.messages ?? [] },
      };
    case 'update': {
      if (!row.update_of) return { kind: 'fail', reason: 'update without a message to update' };
      const original = await messageIdOf(deps, row.update_of);
      if (original.kind !== 'ok') return original;
      return {
        kind: 'ok',
        delivery: {
          op: 'update',
          target,
          messageId: original.messageId,
          message: body.message ?? { text: '' },
        },
      };
    }
  }
}

async function messageIdOf(
  deps: Pick<CoreDeps, 'db'>,
  outboxId: number,
): Promise<
  { kind: 'ok'; messageId: string } | { kind: 'wait'; reason: string } | { kind: 'fail'; reason: string }
> {
  const root = await deps.db
    .selectFrom('outbox')
    .select(['status', 'platform_message_id'])
    .where('id', '=', outboxId)
    .executeTakeFirst();
  if (!root) return { kind: 'fail', reason: `outbox ${outboxId} does not exist` };
  if (root.status === 'pending') return { kind: 'wait', reason: `waiting for outbox ${outboxId} to be sent` };
  if (root.status !== 'sent' || !root.platform_message_id) {
    return { kind: 'fail', reason: `the message of outbox ${outboxId} was never posted` };
  }
  return { kind: 'ok', messageId: root.platform_message_id };
}
