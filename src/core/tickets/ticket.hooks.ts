import type { Tx } from '../db.ts';
import type { TicketRow } from './ticket.table.ts';

export interface TicketChange {
  /** The timeline event type: created, claimed, assigned, priority_changed, resolved, ... */
  type: string;
  ticket: TicketRow;
  before: TicketRow | null;
  actorId: number | null;
}

/**
 * Another feature's reaction to a ticket change (knowledge mining), run inside the change's
 * transaction after the SLA sync. The app passes the list in through `deps.ticketHooks`; `Deps` is
 * core's `CoreDeps`.
 */
export type TicketHook<Deps> = (tx: Tx, deps: Deps, change: TicketChange) => Promise<void>;
