/**
 * Retention: how long raw traffic, model texts and closed tickets' personal data are kept, and the
 * daily run that enforces it. Policies are settings (`retention:<policy>`, in days; absent = off).
 * A run is idempotent: it only touches rows past their period that an earlier run did not change.
 */
import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { getSetting } from '../settings/settings.ts';
import { unitOfWork } from '../unit-of-work.ts';
import { addCount, anonymiseTickets, type Counts, formerEmployeeId } from './anonymise.ts';
import type { RetentionRunsTable } from './privacy.table.ts';

export const POLICIES = ['inbound', 'llm', 'closed-tickets'] as const;
export type Policy = (typeof POLICIES)[number];

/** Allowed periods in days, per policy, and what each covers (for `retention` and the docs). */
export const POLICY_RANGE: Record<Policy, { min: number; max: number; covers: string }> = {
  inbound: { min: 1, max: 3650, covers: 'raw inbound payloads and delivered outbox bodies' },
  llm: { min: 1, max: 3650, covers: 'model call texts (llm_calls) and the model answer cache' },
  'closed-tickets': { min: 30, max: 3650, covers: 'closed tickets: requester and texts anonymised' },
};

export const policyKey = (policy: Policy) => `retention:${policy}`;

export type Policies = Record<Policy, number | null>;

export async function readPolicies(db: DbOrTx): Promise<Policies> {
  const out = {} as Policies;
  for (const policy of POLICIES) {
    const value = await getSetting<{ days?: number }>(db, policyKey(policy));
    out[policy] = typeof value?.days === 'number' ? value.days : null;
  }
  return out;
}

/** `30d`, `2y` (365 days a year), `off`; null for anything else. */
export function parsePeriod(text: string): number | 'off' | null {
  const value = text.trim().toLowerCase();
  if (value === 'off') return 'off';
  const match = /^(\d{1,5})([dy])$/.exec(value);
  if (!match) return null;
  return Number(match[1]) * (match[2] === 'y' ? 365 : 1);
}

export function formatPeriod(days: number | null): string {
  if (days === null) return 'off';
  return days % 365 === 0 ? `${days / 365}y (${days}d)` : `${days}d`;
}

const DAY = 86_400_000;
const BATCH = 500;

type RunDeps = Pick<CoreDeps, 'db' | 'jobs' | 'log' | 'clock'>;

const count = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint } | undefined) =>
  Number(result?.numUpdatedRows ?? result?.numDeletedRows ?? 0);

/** Repeats a batch in its own transaction until it changes nothing; returns the total. */
async function inBatches(deps: RunDeps, batch: (tx: Tx) => Promise<number>) {
  let total = 0;
  for (;;) {
    const done = await unitOfWork(deps, batch);
    total += done;
    if (done < BATCH) return total;
  }
}

export interface RetentionRun {
  policies: Policies;
  counts: Counts;
  startedAt: Date;
  finishedAt: Date;
}

/** Applies every policy once, records the run and logs its counts. */
export async function runRetention(
  deps: RunDeps,
  trigger: RetentionRunsTable['trigger'],
): Promise<RetentionRun> {
  const startedAt = deps.clock.now();
  const policies = await readPolicies(deps.db);
  const counts: Counts = {};
  const before = (days: number) => new Date(startedAt.getTime() - days * DAY);

  if (policies.inbound !== null) {
    const cutoff = before(policies.inbound);
    // Finished events only: a pending one is still to be processed. Tickets filed from one keep
    // their link as null (ON DELETE SET NULL).
    addCount(
      counts,
      'inbound_events',
      await inBatches(deps, async (tx) =>
        count(
          await tx
            .deleteFrom('inbound_events')
            .where('id', 'in', (eb) =>
              eb
                .selectFrom('inbound_events')
                .select('id')
                .where('status', 'in', ['done', 'failed'])
                .where('received_at', '<', cutoff)
                .limit(BATCH),
            )
            .executeTakeFirst(),
        ),
      ),
    );
    // Delivered bodies are replaced; the row stays for bookkeeping (threads, card updates, dead
    // letters). A live ticket's card is kept: Teams button answers show it again.
    addCount(
      counts,
      'outbox',
      await inBatches(deps, async (tx) =>
        count(
          await tx
            .updateTable('outbox')
            .set({ body: sql`jsonb_build_object('redacted', true)` })
            .where('id', 'in', (eb) =>
              eb
                .selectFrom('outbox')
                .select('id')
                .where('status', '!=', 'pending')
                .where('created_at', '<', cutoff)
                .where(sql<boolean>`not (body ? 'redacted') and not (body ? 'erased')`)
                .where(
                  sql<boolean>`not (body->'message'->'card' is not null and exists (
                    select 1 from tickets t where t.id = outbox.ticket_id and t.status <> 'closed'))`,
                )
                .limit(BATCH),
            )
            .executeTakeFirst(),
        ),
      ),
    );
  }

  if (policies.llm !== null) {
    const cutoff = before(policies.llm);
    addCount(
      counts,
      'llm_calls',
      await inBatches(deps, async (tx) =>
        count(
          await tx
            .updateTable('llm_calls')
            .set({ input: null, error: null })
            .where('id', 'in', (eb) =>
              eb
                .selectFrom('llm_calls')
                .select('id')
                .where('created_at', '<', cutoff)
                .where((w) => w.or([w('input', 'is not', null), w('error', 'is not', null)]))
                .limit(BATCH),
            )
            .executeTakeFirst(),
        ),
      ),
    );
    addCount(
      counts,
      'llm_cache',
      count(await deps.db.deleteFrom('llm_cache').where('created_at', '<', cutoff).executeTakeFirst()),
    );
  }

  if (policies['closed-tickets'] !== null) {
    const cutoff = before(policies['closed-tickets']);
    const former = await formerEmployeeId(deps.db);
    await inBatches(deps, async (tx) => {
      const ids = await tx
        .selectFrom('tickets')
        .select('id')
        .where('status', '=', 'closed')
        .where('closed_at', '<', cutoff)
        .where('requester_id', '!=', former)
        .orderBy('id')
        .limit(BATCH)
        .execute();
      const changed = await anonymiseTickets(
        tx,
        ids.map((row) => row.id),
        former,
      );
      for (const [table, n] of Object.entries(changed)) addCount(counts, table, n);
      return ids.length;
    });
  }

  // Export links that were never used.
  addCount(
    counts,
    'privacy_exports',
    count(
      await deps.db.deleteFrom('privacy_exports').where('expires_at', '<=', startedAt).executeTakeFirst(),
    ),
  );

  const finishedAt = deps.clock.now();
  await deps.db
    .insertInto('retention_runs')
    .values({
      trigger,
      policies: JSON.stringify(policies),
      counts: JSON.stringify(counts),
      started_at: startedAt,
      finished_at: finishedAt,
    })
    .execute();
  deps.log.info({ trigger, policies, counts }, 'retention run finished');
  return { policies, counts, startedAt, finishedAt };
}

export async function lastRetentionRun(db: DbOrTx) {
  return db
    .selectFrom('retention_runs')
    .select(['trigger', 'counts', 'started_at', 'finished_at'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
