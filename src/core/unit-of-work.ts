import type { Tx } from './db.ts';
import type { CoreDeps } from './deps.ts';
import { type JobQueue, jobId } from './jobs/jobs.ts';

interface Effects {
  outboxIds: string[];
  afterCommit: Array<() => Promise<void>>;
}

const effectsOf = new WeakMap<object, Effects>();

/**
 * Runs `fn` in one transaction (or inside the caller's, when `deps.db` already is one) and, once
 * it has committed, enqueues delivery of the outbox rows it wrote and runs its after-commit work.
 */
export async function unitOfWork<T>(deps: Pick<CoreDeps, 'db' | 'jobs' | 'log'>, fn: (tx: Tx) => Promise<T>) {
  if (deps.db.isTransaction) return fn(deps.db as Tx);
  const effects: Effects = { outboxIds: [], afterCommit: [] };
  const result = await deps.db.transaction().execute(async (tx) => {
    effectsOf.set(tx, effects);
    return fn(tx);
  });
  await runEffects(deps, effects);
  return result;
}

/** Starts a transaction-scoped effects list for callers that manage their own transaction. */
export function trackEffects(tx: Tx): Effects {
  const effects: Effects = { outboxIds: [], afterCommit: [] };
  effectsOf.set(tx, effects);
  return effects;
}

export async function runEffects(deps: Pick<CoreDeps, 'jobs' | 'log'>, effects: Effects): Promise<void> {
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
      deps.log.warn({ err: error }, 'after-commit work failed; the reconciler will retry');
    }
  }
}

export function registerOutbox(tx: Tx, outboxId: string): void {
  effectsOf.get(tx)?.outboxIds.push(outboxId);
}

/** Work to run after the surrounding transaction commits (e.g. scheduling timers). */
export function afterCommit(tx: Tx, work: () => Promise<void>): void {
  const effects = effectsOf.get(tx);
  if (effects) effects.afterCommit.push(work);
  else void work();
}

/**
 * A job queue whose enqueues wait until `tx` commits: a job must never see state that may still roll
 * back, and on the embedded database (one connection behind a multiplexer) an enqueue from inside an
 * open transaction would wait on that transaction forever.
 */
export function jobsAfterCommit(tx: Tx, jobs: JobQueue): JobQueue {
  return {
    enqueue: async (name, data, options) => {
      afterCommit(tx, () => jobs.enqueue(name, data, options));
    },
  };
}
