/**
 * Ticket commands that take one ticket or several (`close #3 #4 #9`, `assign #10-#14 @bob`): each
 * ticket is checked and changed on its own, through the same use case as a single one, inside a
 * savepoint, and the reply lists what was done and what was refused, and why.
 */
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { hasRole, type Person } from '../people/people.service.ts';
import { aRole, type Role } from '../people/people.table.ts';
import { refusalText } from '../tickets/refusal.ts';
import type { Outcome } from '../tickets/ticket.change.ts';
import { findTicketByNumber, MAX_TICKET_NUMBER } from '../tickets/ticket.repository.ts';
import type { TicketRow } from '../tickets/ticket.table.ts';
import { inSavepoint } from '../unit-of-work.ts';
import type { CommandContext, CommandResult, CommandSpec } from './command.ts';
import { reply } from './command.ts';
import type { Arg } from './parse.ts';

/** The most tickets one command changes: a typo in a range must not touch the whole helpdesk. */
export const MAX_BULK_TICKETS = 50;

export type TicketList = { numbers: number[]; used: number } | { problem: string };

const RANGE = /^#?(\d+)\s*[-–]\s*#?(\d+)$/;

/** The ticket arguments a command starts with: `#3 #4`, and ranges `#10-#14` (or `#10-14`). */
export function leadingTickets(args: readonly Arg[]): TicketList {
  const numbers: number[] = [];
  let used = 0;
  for (const arg of args) {
    if (arg.kind === 'ticket') numbers.push(arg.number);
    else {
      const range = arg.kind === 'word' ? RANGE.exec(arg.value) : null;
      if (!range) break;
      const from = Number(range[1]);
      const to = Number(range[2]);
      if (from > to) return { problem: `${arg.raw} goes backwards; write the lower number first.` };
      if (to - from + 1 > MAX_BULK_TICKETS || to > MAX_TICKET_NUMBER)
        return {
          problem: `${arg.raw} is more than ${MAX_BULK_TICKETS} tickets; one command changes at most ${MAX_BULK_TICKETS}.`,
        };
      for (let n = from; n <= to; n++) numbers.push(n);
    }
    used++;
  }
  const unique = [...new Set(numbers)];
  if (unique.length > MAX_BULK_TICKETS)
    return { problem: `That is ${unique.length} tickets; one command changes at most ${MAX_BULK_TICKETS}.` };
  return { numbers: unique, used };
}

export interface BulkSpec<P> {
  name: string;
  /** The one-ticket form (`close #N`), what `help` shows a role that cannot change several. */
  usage: string;
  /** The form with several tickets (`close #N [#N…|#A-#B]`). */
  bulkUsage: string;
  summary: string;
  /** What `help` says to a requester, who can change one ticket only (`close a ticket`). */
  requesterSummary?: string;
  role: Role;
  /** Reads what follows the tickets (an assignee, a priority, a text) once, or answers with why not. */
  prepare(
    deps: CoreDeps,
    tx: Tx,
    actor: Person,
    ctx: CommandContext,
    used: number,
  ): Promise<{ value: P } | { answer: CommandResult }>;
  /** The one-ticket use case. */
  act(deps: CoreDeps, tx: Tx, actor: Person, ticketId: number, value: P): Promise<Outcome>;
  /** The reply for one ticket done. */
  done(ticket: TicketRow, value: P): string;
  /** What several done are, before their numbers: "Closed", "Assigned to Bob". */
  doneAll(value: P): string;
}

/** A command over one ticket or several; several need an agent, whatever the one-ticket role. */
export function bulkTicketCommand<P>(spec: BulkSpec<P>): CommandSpec<CoreDeps> {
  return {
    name: spec.name,
    usage: spec.bulkUsage,
    summary: spec.summary,
    role: spec.role,
    ...(spec.role === 'requester'
      ? { helpFor: { requester: { usage: spec.usage, summary: spec.requesterSummary ?? spec.summary } } }
      : {}),
    async run(deps, tx, actor, args, ctx) {
      const list = leadingTickets(args);
      if ('problem' in list) return reply(list.problem);
      const [first] = list.numbers;
      if (first === undefined)
        return reply(`Usage: \`${hasRole(actor.role, 'agent') ? spec.bulkUsage : spec.usage}\``);
      if (list.numbers.length > 1 && !hasRole(actor.role, 'agent'))
        return reply(`Only agents can change several tickets at once (you are ${aRole(actor.role)}).`);
      const prepared = await spec.prepare(deps, tx, actor, ctx, list.used);
      if ('answer' in prepared) return prepared.answer;
      if (list.numbers.length === 1) {
        const ticket = await findTicketByNumber(tx, first);
        if (!ticket) return reply(`There is no ticket #${first}.`);
        const outcome = await spec.act(deps, tx, actor, ticket.id, prepared.value);
        return reply(outcome.ok ? spec.done(outcome.ticket, prepared.value) : refusalText(outcome.refusal));
      }
      return reply(await runEach(deps, tx, actor, spec, list.numbers, prepared.value));
    },
  };
}

async function runEach<P>(
  deps: CoreDeps,
  tx: Tx,
  actor: Person,
  spec: BulkSpec<P>,
  numbers: readonly number[],
  value: P,
): Promise<string> {
  const done: number[] = [];
  const refused: string[] = [];
  for (const number of numbers) {
    const ticket = await findTicketByNumber(tx, number);
    if (!ticket) {
      refused.push(`• #${number}: there is no such ticket.`);
      continue;
    }
    try {
      const outcome = await inSavepoint(tx, () => spec.act(deps, tx, actor, ticket.id, value));
      if (outcome.ok) done.push(number);
      else refused.push(`• #${number}: ${refusalText(outcome.refusal)}`);
    } catch (error) {
      deps.log.warn(
        { err: error, ticketId: ticket.id, command: spec.name },
        'one ticket of a bulk command failed',
      );
      refused.push(`• #${number}: it could not be changed because of an error; nothing changed on it.`);
    }
  }
  const head = done.length
    ? `${spec.doneAll(value)}: ${done.map((n) => `#${n}`).join(', ')} (${done.length} of ${numbers.length}).`
    : `None of the ${numbers.length} tickets changed.`;
  return refused.length ? `${head}\nRefused:\n${refused.join('\n')}` : head;
}
