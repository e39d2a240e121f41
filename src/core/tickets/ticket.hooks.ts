import type { Tx } from '../db.ts';
import type { TicketRow } from './ticket.table.ts';

export interface TicketChange {
  /** The timeline event type: created, claimed, assigned, priority_changed, resolved, ... */
  type: string;
  ticket: TicketRow;
  before: TicketRow | null;
  actorId: number | null;
  /**
   * The timeline entry the change wrote (absent for filing, whose entry follows the hooks): what was
   * said (`body`, with its visibility) and its `after` extras, e.g. `source: 'jsm'`.
   */
  event?: TicketChangeEvent | undefined;
}

export interface TicketChangeEvent {
  id: number;
  body: string | null;
  visibility: 'public' | 'internal';
  after: Record<string, unknown>;
}

/**
 * Another feature's reaction to a ticket change (knowledge mining), run inside the change's
 * transaction after the SLA sync. The app passes the list in through `deps.ticketHooks`; `Deps` is
 * core's `CoreDeps`.
 */
export type TicketHook<Deps> = (tx: Tx, deps: Deps, change: TicketChange) => Promise<void>;

/**
 * A change another feature makes because of this one (automatic assignment on filing and on
 * reopen), run inside the transaction once the change is complete (its card refreshed), so that
 * its own change through `changeTicket` comes after it. Returns the ticket when it changed it.
 */
export type TicketFollowUp<Deps> = (
  tx: Tx,
  deps: Deps,
  change: TicketChange,
) => Promise<TicketRow | undefined>;
