/** Runs core use cases from tests the way a job or an event does: each in a unit of work of its own. */
import type { Tx } from '../../src/core/db.ts';
import type { CoreDeps } from '../../src/core/deps.ts';
import { unitOfWork } from '../../src/core/unit-of-work.ts';

/** Turns `useCase(deps, tx, ...args)` into `(deps, ...args)` that opens and commits its own transaction. */
export function inOwnTx<A extends unknown[], R>(useCase: (deps: CoreDeps, tx: Tx, ...args: A) => Promise<R>) {
  return (deps: CoreDeps, ...args: A): Promise<R> => unitOfWork(deps, (tx) => useCase(deps, tx, ...args));
}
