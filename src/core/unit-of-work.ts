/**
 * Transactions are arguments: a use case that writes takes `tx`, and `deps.db` is always the pool.
 * `unitOfWork` is the one place a transaction starts; work that must wait for the commit (job
 * enqueues, model calls, outbox delivery) is registered on that transaction and runs on the pool.
 */
import { sql } from 'kysely';
import type { Tx } from './db.ts';
import type { CoreDeps } from './deps.ts';
import { jobId } from './jobs/jobs.ts';
import { inSpan } from './tracing.ts';

interface Effects {
  outboxIds: number[];
  afterCommit: Array<() => Promise<void>>;
}

const effectsOf = new WeakMap<object, Effects>();

type UnitDeps = Pick<CoreDeps, 'db' | 'jobs' | 'log'>;

/**
 * Runs `fn` in a new transaction on the pool and, once it has committed, enqueues delivery of the
 * outbox rows it wrote and runs its after-commit work. Nested calls are a bug: pass `tx` instead.
 */
export async function unitOfWork<T>(deps: UnitDeps, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (deps.db.isTransaction) {
    throw new Error('unitOfWork was given a transaction as deps.db; pass the transaction as `tx` instead');
  }
  const effects: Effects = { outboxIds: [], afterCommit: [] };
  const result = await inSpan('db transaction', { 'db.system.name': 'postgresql' }, async (span) => {
    const value = await deps.db.transaction().execute(async (tx) => {
      effectsOf.set(tx, effects);
      return fn(tx);
    });
    span.set({ 'helpdesk.outbox.rows': effects.outboxIds.length });
    return value;
  });
  await runEffects(deps, effects);
  return result;
}

async function runEffects(deps: Pick<CoreDeps, 'jobs' | 'log'>, effects: Effects): Promise<void> {
  for (const outboxId of effects.outboxIds) {
    try {
      await deps.jobs.enqueue('deliver', { outboxId }, { jobId: jobId('deliver', outboxId) });
    } catch (error) {
      // The row is committed; the recovery job delivers it later.
      deps.log.warn({ err: error, outboxId }, 'could not enqueue delivery; recovery will retry');
    }
  }
  for (const work of effects.afterCommit) {
    try {
      await work();
    } catch (error) {
      // Each piece of after-commit work says in its own log what a failure costs and who repairs it.
      deps.log.warn({ err: error }, 'after-commit work failed');
    }
  }
}

function tracked(tx: Tx, what: string): Effects {
  const effects = effectsOf.get(tx);
  if (!effects) throw new Error(`${what} needs a transaction started by unitOfWork`);
  return effects;
}

/** Delivery of this outbox row starts once the transaction that wrote it commits. */
export function registerOutbox(tx: Tx, outboxId: number): void {
  tracked(tx, 'queueMessage').outboxIds.push(outboxId);
}

/**
 * Work to run on the pool after `tx` commits (enqueueing jobs, model calls): a job must never see
 * state that may still roll back, and on the embedded database (one connection behind a
 * multiplexer) an enqueue from inside an open transaction would wait on that transaction forever.
 */
export function afterCommit(tx: Tx, work: () => Promise<void>): void {
  tracked(tx, 'afterCommit').afterCommit.push(work);
}

let savepoints = 0;

/**
 * Runs `fn` inside a savepoint of `tx`: when it throws, what it wrote (and the deliveries and
 * after-commit work it registered) is undone and the error rethrown, and the rest of the
 * transaction carries on. Bulk commands change each ticket in one of these.
 */
export async function inSavepoint<T>(tx: Tx, fn: () => Promise<T>): Promise<T> {
  const effects = tracked(tx, 'inSavepoint');
  const marks = { outbox: effects.outboxIds.length, after: effects.afterCommit.length };
  savepoints = (savepoints + 1) % 1_000_000;
  const name = sql.id(`helpdesk_sp_${savepoints}`);
  await sql`savepoint ${name}`.execute(tx);
  try {
    const result = await fn();
    await sql`release savepoint ${name}`.execute(tx);
    return result;
  } catch (error) {
    await sql`rollback to savepoint ${name}`.execute(tx);
    effects.outboxIds.length = marks.outbox;
    effects.afterCommit.length = marks.after;
    throw error;
  }
}
