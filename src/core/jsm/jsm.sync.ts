/**
 * The JSM mirror, outbound: tickets in the categories `config jsm categories` chose become JSM
 * requests, their public replies JSM comments and their status changes JSM transitions. Each call
 * is a `jsm_ops` row written in the change's transaction and made by the `jsm-sync` job, in order
 * per ticket, retried while JSM is down; chat never waits for JSM.
 */
import { sql } from 'kysely';
import type { JsmSettings } from '../config.ts';
import { json, type Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { jobId, RetryLaterError } from '../jobs/jobs.ts';
import { getSetting } from '../settings/settings.ts';
import type { TicketChange } from '../tickets/ticket.hooks.ts';
import { recordEvent } from '../tickets/ticket.repository.ts';
import { afterCommit, unitOfWork } from '../unit-of-work.ts';
import { jsmCall } from './jsm.client.ts';
import type { JsmOp, JsmOpBody, JsmOpRow } from './jsm.table.ts';

export const JSM_CATEGORIES_KEY = 'jsm-categories';
const LOCK_MS = 60_000;
const MAX_ATTEMPTS = 20;
const MAX_BACKOFF_MS = 600_000;
/** What the requester was told in words (a reply, a question, a resolution) is public in JSM too. */
const RELAYED = new Set(['reply', 'requester_reply', 'pending', 'resolved']);

async function queueOp(deps: Pick<CoreDeps, 'jobs'>, tx: Tx, ticketId: number, op: JsmOp, body: JsmOpBody) {
  const row = await tx
    .insertInto('jsm_ops')
    .values({
      ticket_id: ticketId,
      op,
      body: json(body),
      last_error: null,
      next_attempt_at: null,
      locked_until: null,
      done_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  afterCommit(tx, () => deps.jobs.enqueue('jsm-sync', { opId: row.id }, { jobId: jobId('jsm', row.id) }));
}

/** The ticket hook: what this change means to the JSM request that mirrors the ticket. */
export async function jsmTicketHook(tx: Tx, deps: CoreDeps, change: TicketChange): Promise<void> {
  if (!deps.config.jsm) return;
  // A change JSM itself made (a comment or status relayed from its webhook) goes no further.
  if (change.event?.after.source === 'jsm') return;
  const { ticket } = change;
  const mirrored = await tx
    .selectFrom('jsm_ops')
    .select('id')
    .where('ticket_id', '=', ticket.id)
    .where('op', '=', 'create')
    .where('status', '!=', 'failed')
    .limit(1)
    .executeTakeFirst();
  if (!mirrored) {
    const categories = (await getSetting<string[]>(tx, JSM_CATEGORIES_KEY)) ?? [];
    if (categories.includes(ticket.category) && ticket.status !== 'closed') {
      await queueOp(deps, tx, ticket.id, 'create', {});
    }
    return;
  }
  const said = change.event;
  if (RELAYED.has(change.type) && said?.visibility === 'public' && said.body) {
    const who = change.actorId
      ? await tx
          .selectFrom('people')
          .select('display_name')
          .where('id', '=', change.actorId)
          .executeTakeFirst()
      : undefined;
    const role = change.type === 'requester_reply' ? 'requester' : 'IT';
    await queueOp(deps, tx, ticket.id, 'comment', {
      text: `${who?.display_name ?? 'Helpdesk'} (${role}, via chat): ${said.body}`,
    });
  }
  if (change.before && change.before.status !== ticket.status && deps.config.jsm.transitions[ticket.status]) {
    await queueOp(deps, tx, ticket.id, 'transition', { status: ticket.status });
  }
}

type Call =
  | { ok: true; detail?: string }
  | { ok: false; retry: boolean; error: string; retryAfterMs?: number };

export type JsmSyncOutcome = 'done' | 'skipped' | 'failed';

/** The `jsm-sync` job: one call to JSM, after every earlier call for the same ticket. */
export async function runJsmOp(deps: CoreDeps, opId: number): Promise<JsmSyncOutcome> {
  const settings = deps.config.jsm;
  const now = deps.clock.now();
  const op = await deps.db
    .updateTable('jsm_ops')
    .set({ locked_until: new Date(now.getTime() + LOCK_MS) })
    .where('id', '=', opId)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .returningAll()
    .executeTakeFirst();
  if (!op) return 'skipped';
  const release = (fields: Record<string, unknown> = {}) =>
    deps.db
      .updateTable('jsm_ops')
      .set({ locked_until: null, ...fields })
      .where('id', '=', op.id)
      .execute();
  if (!settings) {
    await release({ status: 'failed', last_error: 'JSM is not configured' });
    return 'failed';
  }
  const earlier = await deps.db
    .selectFrom('jsm_ops')
    .select(['id', 'next_attempt_at'])
    .where('ticket_id', '=', op.ticket_id)
    .where('status', '=', 'pending')
    .where('id', '<', op.id)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (earlier) {
    const due = earlier.next_attempt_at ? earlier.next_attempt_at.getTime() - now.getTime() : 0;
    const wait = Math.max(250, due + 100);
    await release({ next_attempt_at: new Date(now.getTime() + wait) });
    throw new RetryLaterError(`waiting for JSM call ${earlier.id} of the same ticket`, wait);
  }

  const call = await perform(deps, settings, op);
  const attempts = op.attempts + 1;
  if (call.ok) {
    await release({
      status: 'done',
      attempts,
      last_error: null,
      next_attempt_at: null,
      done_at: deps.clock.now(),
    });
    return 'done';
  }
  if (!call.retry || attempts >= MAX_ATTEMPTS) {
    deps.log.warn({ opId: op.id, ticketId: op.ticket_id, error: call.error }, 'JSM call failed for good');
    await unitOfWork(deps, async (tx) => {
      await tx
        .updateTable('jsm_ops')
        .set({ status: 'failed', attempts, last_error: call.error, locked_until: null })
        .where('id', '=', op.id)
        .execute();
      await recordEvent(tx, {
        ticketId: op.ticket_id,
        actorId: null,
        type: 'jsm_failed',
        at: deps.clock.now(),
        visibility: 'internal',
        after: { op: op.op },
        body: `Could not ${op.op === 'create' ? 'mirror the ticket to' : `send a ${op.op} to`} JSM: ${call.error}`,
      });
    });
    return 'failed';
  }
  const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (attempts - 1)) * (0.8 + Math.random() * 0.4);
  const delay = Math.round(Math.min(MAX_BACKOFF_MS, call.retryAfterMs ?? backoff));
  await release({ attempts, last_error: call.error, next_attempt_at: new Date(now.getTime() + delay) });
  throw new RetryLaterError(`JSM call failed, retrying: ${call.error}`, Math.max(50, delay));
}

async function perform(deps: CoreDeps, settings: JsmSettings, op: JsmOpRow): Promise<Call> {
  if (op.op === 'create') return createRequest(deps, settings, op);
  const link = await deps.db
    .selectFrom('jsm_links')
    .selectAll()
    .where('ticket_id', '=', op.ticket_id)
    .executeTakeFirst();
  if (!link) return { ok: false, retry: false, error: 'the ticket has no JSM request (its creation failed)' };
  const key = encodeURIComponent(link.jsm_key);
  if (op.op === 'comment') {
    const made = await jsmCall(settings, 'POST', `/rest/servicedeskapi/request/${key}/comment`, {
      body: op.body.text ?? '',
      public: true,
    });
    if (!made.ok) return made;
    const id = (made.body as { id?: unknown } | null)?.id;
    if (id !== undefined) {
      await deps.db
        .insertInto('jsm_comments')
        .values({ jsm_comment_id: String(id), ticket_id: op.ticket_id, direction: 'out' })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    return { ok: true };
  }
  const wanted = settings.transitions[op.body.status ?? ''];
  if (!wanted) return { ok: true, detail: 'no transition mapped' };
  const listed = await jsmCall(settings, 'GET', `/rest/servicedeskapi/request/${key}/transition`);
  if (!listed.ok) return listed;
  const values = ((listed.body as { values?: Array<{ id: string; name: string }> } | null)?.values ??
    []) as Array<{
    id: string;
    name: string;
  }>;
  const transition = values.find((t) => t.name.toLowerCase() === wanted.toLowerCase());
  // The request may already be there, or the workflow has no such step from where it is: nothing to do.
  if (!transition) {
    deps.log.info(
      { key: link.jsm_key, wanted, available: values.map((t) => t.name) },
      'no matching JSM transition',
    );
    return { ok: true, detail: 'no matching transition' };
  }
  const moved = await jsmCall(settings, 'POST', `/rest/servicedeskapi/request/${key}/transition`, {
    id: transition.id,
  });
  return moved.ok ? { ok: true } : moved;
}

async function createRequest(deps: CoreDeps, settings: JsmSettings, op: JsmOpRow): Promise<Call> {
  const existing = await deps.db
    .selectFrom('jsm_links')
    .select('jsm_key')
    .where('ticket_id', '=', op.ticket_id)
    .executeTakeFirst();
  if (existing) return { ok: true };
  const ticket = await deps.db
    .selectFrom('tickets')
    .innerJoin('people', 'people.id', 'tickets.requester_id')
    .select([
      'tickets.number',
      'tickets.title',
      'tickets.description',
      'tickets.priority',
      'tickets.category',
      'people.email',
      'people.display_name',
    ])
    .where('tickets.id', '=', op.ticket_id)
    .executeTakeFirstOrThrow();
  const description = `${ticket.description}\n\n— Helpdesk ticket #${ticket.number} (${ticket.priority}, ${ticket.category}), requested by ${ticket.display_name}${ticket.email ? ` <${ticket.email}>` : ''}.`;
  const request = {
    serviceDeskId: settings.serviceDeskId,
    requestTypeId: settings.requestTypeId,
    requestFieldValues: { summary: `#${ticket.number} ${ticket.title}`.slice(0, 250), description },
    ...(ticket.email ? { raiseOnBehalfOf: ticket.email } : {}),
  };
  let made = await jsmCall(settings, 'POST', '/rest/servicedeskapi/request', request);
  // The requester may not be a JSM customer (or the site wants an account id): raise it as ourselves.
  if (!made.ok && made.status === 400 && ticket.email) {
    const { raiseOnBehalfOf: _dropped, ...asUs } = request;
    made = await jsmCall(settings, 'POST', '/rest/servicedeskapi/request', asUs);
  }
  if (!made.ok) return made;
  const created = made.body as { issueKey?: string; issueId?: string } | null;
  if (!created?.issueKey)
    return { ok: false, retry: false, error: 'JSM created a request without an issueKey' };
  const key = created.issueKey;
  await unitOfWork(deps, async (tx) => {
    await tx
      .insertInto('jsm_links')
      .values({ ticket_id: op.ticket_id, jsm_key: key, jsm_id: created.issueId ?? null })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await recordEvent(tx, {
      ticketId: op.ticket_id,
      actorId: null,
      type: 'jsm_linked',
      at: deps.clock.now(),
      visibility: 'internal',
      after: { key },
      body: `Mirrored to Jira Service Management as ${key}.`,
    });
  });
  return { ok: true };
}

/** Re-enqueues JSM calls a lost job left pending (run by the `recover` job). */
export async function recoverJsmOps(deps: Pick<CoreDeps, 'db' | 'jobs' | 'clock'>): Promise<number> {
  const now = deps.clock.now();
  const bucket = Math.floor(now.getTime() / 60_000);
  const rows = await deps.db
    .selectFrom('jsm_ops')
    .select('id')
    .where('status', '=', 'pending')
    .where(sql<boolean>`coalesce(next_attempt_at, created_at) < ${new Date(now.getTime() - 60_000)}`)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .orderBy('id')
    .limit(500)
    .execute();
  for (const row of rows)
    await deps.jobs.enqueue('jsm-sync', { opId: row.id }, { jobId: `jsm-${row.id}-r-${bucket}` });
  return rows.length;
}
