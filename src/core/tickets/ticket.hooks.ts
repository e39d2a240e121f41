import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { slaTicketHook } from '../sla/sla.service.ts';
import type { TicketRow } from './ticket.table.ts';

export interface TicketChange {
  /** The timeline event type: created, claimed, assigned, priority_changed, resolved, ... */
  type: string;
  ticket: TicketRow;
  before: TicketRow | null;
  actorId: number | null;
}

/** Runs inside the use case's transaction, after the change and its timeline entry are written. */
export type TicketHook = (tx: Tx, deps: CoreDeps, change: TicketChange) => Promise<void>;

const hooks: TicketHook[] = [];

/** Registers a hook (SLA timers, knowledge mining, ...); returns a function that removes it. */
export function onTicketChanged(hook: TicketHook): () => void {
  hooks.push(hook);
  return () => {
    const index = hooks.indexOf(hook);
    if (index >= 0) hooks.splice(index, 1);
  };
}

export async function runTicketHooks(tx: Tx, deps: CoreDeps, change: TicketChange): Promise<void> {
  for (const hook of hooks) await hook(tx, deps, change);
}

// SLA bookkeeping and timers (issue 6): registered here so every process that changes tickets runs it.
onTicketChanged(slaTicketHook);
