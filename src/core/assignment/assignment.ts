/**
 * Automatic assignment: on filing (and on reopen when the assignee is away) a ticket goes to an
 * available agent by round-robin, by load (fewest open tickets) or by skills (the ticket's category,
 * falling back to load, then to the on-call person). Every assignment locks the cursor row first, so
 * concurrent filings queue up and never read the same "next" agent; the change itself goes through
 * `changeTicket` like any other.
 */
import { mentionPerson } from '../chat/mention.ts';
import type { DbOrTx, Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { findPerson, hasRole } from '../people/people.service.ts';
import { getSetting } from '../settings/settings.ts';
import { changeTicket, SYSTEM } from '../tickets/ticket.change.ts';
import type { TicketChange } from '../tickets/ticket.hooks.ts';
import { lockTicket } from '../tickets/ticket.repository.ts';
import type { TicketRow } from '../tickets/ticket.table.ts';
import { type AssignedBy, byText } from './assigned-by.ts';

export const ASSIGNMENT_MODES = ['off', 'round-robin', 'load', 'skills'] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

/** The setting `config assignment …` writes. */
export const ASSIGNMENT_KEY = 'assignment';

/** How an automatic assignment chose: what the timeline says after "by". */

export function isAssignmentMode(value: string): value is AssignmentMode {
  return (ASSIGNMENT_MODES as readonly string[]).includes(value);
}

export async function assignmentMode(db: DbOrTx): Promise<AssignmentMode> {
  const stored = await getSetting<string>(db, ASSIGNMENT_KEY);
  return stored && isAssignmentMode(stored) ? stored : 'off';
}

/** Statuses an automatic assignment may act on (a ticket awaiting something else is left alone). */
const ASSIGNABLE: ReadonlySet<string> = new Set(['new', 'open']);
const OPEN_STATUSES = ['new', 'open', 'pending'] as const;

export interface Candidate {
  id: number;
  name: string;
}

/**
 * Agents (admins included) who can take a ticket now: not away, not an API key's own person, and
 * not the ticket's requester. Ordered by id, which is the round-robin order.
 */
export async function availableAgents(
  db: DbOrTx,
  now: Date,
  options: { exclude?: readonly number[]; category?: string } = {},
): Promise<Candidate[]> {
  let query = db
    .selectFrom('people')
    .innerJoin('roles', 'roles.person_id', 'people.id')
    .select(['people.id', 'people.display_name as name'])
    .where('roles.role', 'in', ['agent', 'admin'])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(selectFrom('api_keys').select('api_keys.id').whereRef('api_keys.person_id', '=', 'people.id')),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('agent_away')
            .select('agent_away.person_id')
            .whereRef('agent_away.person_id', '=', 'people.id')
            .where((away) =>
              away.or([away('agent_away.until', 'is', null), away('agent_away.until', '>', now)]),
            ),
        ),
      ),
    )
    .orderBy('people.id');
  if (options.exclude?.length) query = query.where('people.id', 'not in', [...options.exclude]);
  const category = options.category;
  if (category !== undefined) {
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('agent_skills')
          .select('agent_skills.person_id')
          .whereRef('agent_skills.person_id', '=', 'people.id')
          .where('agent_skills.category', '=', category),
      ),
    );
  }
  return query.execute();
}

/** The first candidate after `last` in id order, wrapping around. */
export function nextAfter<T extends { id: number }>(
  candidates: readonly T[],
  last: number | null,
): T | undefined {
  if (last === null) return candidates[0];
  return candidates.find((c) => c.id > last) ?? candidates[0];
}

/** Among the candidates with the fewest open tickets, the next one after the cursor. */
async function leastLoaded(tx: Tx, candidates: readonly Candidate[], last: number | null) {
  if (candidates.length === 0) return undefined;
  const counts = await tx
    .selectFrom('tickets')
    .select(['assignee_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where(
      'assignee_id',
      'in',
      candidates.map((c) => c.id),
    )
    .where('status', 'in', [...OPEN_STATUSES])
    .groupBy('assignee_id')
    .execute();
  const load = (id: number) => Number(counts.find((row) => row.assignee_id === id)?.n ?? 0);
  const fewest = Math.min(...candidates.map((c) => load(c.id)));
  return nextAfter(
    candidates.filter((c) => load(c.id) === fewest),
    last,
  );
}

/** The on-call person (`config on-call @who`), when they are a known agent. */
async function onCallAgent(tx: Tx, exclude: readonly number[]): Promise<Candidate | undefined> {
  const rows = await tx
    .selectFrom('settings')
    .select(['key', 'value'])
    .where((eb) => eb.or([eb('key', '=', 'on-call'), eb('key', 'like', 'on-call:%')]))
    .orderBy('key')
    .execute();
  for (const row of rows) {
    const platform = row.key.split(':')[1];
    for (const entry of (Array.isArray(row.value) ? row.value : [row.value]) as unknown[]) {
      if (!entry || typeof entry !== 'object') continue;
      const e = entry as { platform?: string; userId?: string; name?: string };
      const on = e.platform ?? platform;
      if (!on || (!e.userId && !e.name)) continue;
      const person = await findPerson(tx, {
        platform: on,
        ...(e.userId ? { userId: e.userId } : {}),
        ...(e.name ? { name: e.name.replace(/^@/, '') } : {}),
      });
      if (person && hasRole(person.role, 'agent') && !exclude.includes(person.id))
        return { id: person.id, name: person.displayName };
    }
  }
  return undefined;
}

export interface Choice {
  agent: Candidate;
  by: AssignedBy;
  /** The category a skills match was for, or that had no available agent (a fallback). */
  category?: string | undefined;
  fallback?: boolean;
}

/** Who gets the ticket under `mode`, given the cursor; undefined when nobody can take it. */
export async function chooseAgent(
  tx: Tx,
  now: Date,
  mode: Exclude<AssignmentMode, 'off'>,
  ticket: Pick<TicketRow, 'requester_id' | 'category' | 'assignee_id'>,
  last: number | null,
): Promise<Choice | undefined> {
  const exclude = [ticket.requester_id, ...(ticket.assignee_id === null ? [] : [ticket.assignee_id])];
  const everyone = await availableAgents(tx, now, { exclude });
  let choice: Choice | undefined;
  if (mode === 'round-robin') {
    const agent = nextAfter(everyone, last);
    choice = agent && { agent, by: 'round-robin' };
  } else if (mode === 'load') {
    const agent = await leastLoaded(tx, everyone, last);
    choice = agent && { agent, by: 'load' };
  } else {
    const skilled = await availableAgents(tx, now, { exclude, category: ticket.category });
    const agent = await leastLoaded(tx, skilled, last);
    if (agent) choice = { agent, by: 'skills', category: ticket.category };
    else {
      const any = await leastLoaded(tx, everyone, last);
      choice = any && { agent: any, by: 'load', category: ticket.category, fallback: true };
    }
  }
  if (choice) return choice;
  const onCall = await onCallAgent(tx, exclude);
  return onCall && { agent: onCall, by: 'on-call' };
}

export type AutoAssigned =
  | { assigned: true; ticket: TicketRow; choice: Choice }
  | { assigned: false; reason: 'off' | 'no_ticket' | 'not_assignable' | 'no_agent' };

/**
 * Assigns the ticket by the configured mode, inside `tx`: the ticket row, then the cursor row, are
 * locked first (always in that order), so concurrent assignments queue up. The approval flow calls
 * this when a request is approved; filing and reopening call it through the follow-up below.
 */
export async function autoAssign(deps: CoreDeps, tx: Tx, ticketId: number): Promise<AutoAssigned> {
  const mode = await assignmentMode(tx);
  if (mode === 'off') return { assigned: false, reason: 'off' };
  const ticket = await lockTicket(tx, ticketId);
  if (!ticket) return { assigned: false, reason: 'no_ticket' };
  if (!ASSIGNABLE.has(ticket.status)) return { assigned: false, reason: 'not_assignable' };
  const cursor = await lockCursor(tx);
  const now = deps.clock.now();
  const choice = await chooseAgent(tx, now, mode, ticket, cursor);
  if (!choice) return { assigned: false, reason: 'no_agent' };
  const after = {
    by: choice.by,
    ...(choice.category ? { category: choice.category } : {}),
    ...(choice.fallback ? { fallback: true } : {}),
  };
  const outcome = await changeTicket(deps, tx, SYSTEM, ticketId, 'agent', (t) => {
    if (!ASSIGNABLE.has(t.status) || t.assignee_id === choice.agent.id)
      return { refuse: { code: 'already_assigned', number: t.number, name: choice.agent.name } };
    return {
      type: 'assigned',
      patch: { assignee_id: choice.agent.id, status: 'open' },
      after,
      toTriage: async (m, inTx, platform) => {
        const who = (await mentionPerson(inTx, choice.agent.id, platform)) ?? choice.agent.name;
        return m.triageAutoAssigned(t.number, who, byText(after));
      },
    };
  });
  if (!outcome.ok) return { assigned: false, reason: 'not_assignable' };
  await tx
    .updateTable('assignment_cursor')
    .set({ last_person_id: choice.agent.id, updated_at: now })
    .where('id', '=', 1)
    .execute();
  return { assigned: true, ticket: outcome.ticket, choice };
}

/** Locks the one cursor row (creating it if a restore lost it) and returns the last agent given one. */
async function lockCursor(tx: Tx): Promise<number | null> {
  const locked = () =>
    tx
      .selectFrom('assignment_cursor')
      .select('last_person_id')
      .where('id', '=', 1)
      .forUpdate()
      .executeTakeFirst();
  let row = await locked();
  if (!row) {
    await tx
      .insertInto('assignment_cursor')
      .values({ id: 1, last_person_id: null })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    row = await locked();
  }
  return row?.last_person_id ?? null;
}

/** True when the person is out of rotation now. */
export async function isAway(db: DbOrTx, personId: number, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom('agent_away')
    .select('until')
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return row !== undefined && (row.until === null || row.until > now);
}

/**
 * The follow-up the app registers: a new (or newly approved) unassigned ticket is assigned; a reopened ticket whose
 * assignee is away goes to someone available (it stays with them when nobody is).
 */
export async function assignmentFollowUp(
  tx: Tx,
  deps: CoreDeps,
  change: TicketChange,
): Promise<TicketRow | undefined> {
  const { ticket, before } = change;
  // Filed, or approved after waiting for approval (an awaiting ticket is not assignable when filed).
  const filed = (change.type === 'created' || change.type === 'approved') && ticket.assignee_id === null;
  const reopened =
    before?.status === 'resolved' &&
    ticket.status === 'open' &&
    ticket.assignee_id !== null &&
    (await isAway(tx, ticket.assignee_id, deps.clock.now()));
  if (!filed && !reopened) return undefined;
  const result = await autoAssign(deps, tx, ticket.id);
  return result.assigned ? result.ticket : undefined;
}
