/**
 * Smart assignment on the real Postgres: round-robin, load and skills, away and back, reassignment
 * on reopen, and 50 filings at once sharing the cursor without two of them reading the same "next".
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoAssign } from '../../src/core/assignment/assignment.ts';
import { runCommand as runCommandTx } from '../../src/core/commands/registry.ts';
import type { Db } from '../../src/core/db.ts';
import type { CoreDeps } from '../../src/core/deps.ts';
import type { Person } from '../../src/core/people/people.service.ts';
import { setSetting } from '../../src/core/settings/settings.ts';
import * as tickets from '../../src/core/tickets/ticket.service.ts';
import type { Category } from '../../src/core/tickets/ticket.ts';
import { timelineLines } from '../../src/core/tickets/timeline.ts';
import { unitOfWork } from '../../src/core/unit-of-work.ts';
import { inOwnTx } from '../support/tx.ts';
import {
  consoleRequester,
  consoleTriage,
  freshSchema,
  person,
  type TestDb,
  testDeps,
} from '../workers/support.ts';

const createTicket = inOwnTx(tickets.createTicket);
const resolveTicket = inOwnTx(tickets.resolveTicket);
const reopenTicket = inOwnTx(tickets.reopenTicket);
const closeTicket = inOwnTx(tickets.closeTicket);

let testDb: TestDb;
let db: Db;
let deps: CoreDeps;
let clock: ReturnType<typeof testDeps>['clock'];
let alice: Person;
let bob: Person;
let carol: Person;
let dave: Person;
let erin: Person;
let fay: Person;

beforeAll(async () => {
  testDb = await freshSchema('assign');
  db = testDb.db;
  ({ deps, clock } = testDeps(db, '2026-12-08T09:00:00.000Z'));
  await setSetting(db, 'triage-channel:console', consoleTriage, null);
  alice = await person(db, 'Alice', 'requester');
  bob = await person(db, 'Bob', 'agent');
  carol = await person(db, 'Carol', 'admin');
  dave = await person(db, 'Dave', 'agent');
  erin = await person(db, 'Erin', 'agent');
  fay = await person(db, 'Fay', 'agent');
  // An API key acts as an agent of its own; it is never in rotation.
  const keyPerson = await person(db, 'Zapier key', 'agent');
  await db
    .insertInto('api_keys')
    .values({
      name: 'zapier',
      prefix: 'hd_test',
      secret_hash: 'x',
      scopes: ['tickets:read'] as never,
      person_id: keyPerson.id,
      created_by: carol.id,
    })
    .execute();
});
afterAll(async () => testDb?.close());

/** Runs a command as `who` the way an event does, in its own transaction; returns the reply text. */
async function command(who: Person, text: string): Promise<string> {
  const result = await unitOfWork(deps, (tx) =>
    runCommandTx(deps, tx, who, text, {
      sender: {
        platform: 'console',
        tenant: 'local',
        userId: who.displayName.toLowerCase(),
        displayName: who.displayName,
      },
      conversation: consoleTriage,
      conversationId: 0,
      eventId: `e-${Math.random()}`,
    }),
  );
  return 'reply' in result ? result.reply.text : JSON.stringify(result);
}

async function file(description: string, category: Category = 'other') {
  const outcome = await createTicket(deps, alice, {
    description,
    triage: { category },
    conversation: consoleRequester,
  });
  if (!outcome.ok) throw new Error(`not filed: ${outcome.refusal.code}`);
  return outcome.ticket;
}

async function openCount(personId: number): Promise<number> {
  const row = await db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('assignee_id', '=', personId)
    .where('status', 'in', ['new', 'open', 'pending'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const nameOf = (id: number | null) =>
  [alice, bob, carol, dave, erin, fay].find((p) => p.id === id)?.displayName ?? String(id);

describe('automatic assignment', () => {
  it('is off until an admin turns it on, and only an admin can', async () => {
    const unassigned = await file('printer jams');
    expect(unassigned.assignee_id).toBeNull();
    expect(await command(bob, 'config assignment round-robin')).toMatch(/needs the admin role/);
    expect(await command(carol, 'config assignment sometimes')).toMatch(
      /Usage: `config assignment off\|round-robin\|load\|skills`/,
    );
    expect(await command(carol, 'config assignment round-robin')).toMatch(/now round-robin/);
    expect(await command(carol, 'config assignment')).toMatch(/Assignment is round-robin/);
  });

  it('round-robin gives new tickets to available agents in turn (never the API key), says so on the timeline and mentions the assignee', async () => {
    const assigned: string[] = [];
    for (let i = 0; i < 10; i++) assigned.push(nameOf((await file(`round ${i}`)).assignee_id));
    // Agents and admins in id order, wrapping: Bob, Carol, Dave, Erin, Fay, Bob, …
    const order = ['Bob', 'Carol', 'Dave', 'Erin', 'Fay'];
    const start = order.indexOf(assigned[0] ?? '');
    expect(start).toBeGreaterThanOrEqual(0);
    expect(assigned).toEqual(Array.from({ length: 10 }, (_, i) => order[(start + i) % order.length]));

    const last = await db.selectFrom('tickets').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(last.status).toBe('open');
    const lines = await timelineLines(db, last.id, true);
    expect(lines.at(-1)).toContain(`assigned to ${nameOf(last.assignee_id)} by round-robin`);
    const notice = await db
      .selectFrom('outbox')
      .select('body')
      .where('ticket_id', '=', last.id)
      .where('op', '=', 'post')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(notice.body)).toContain(
      `#${last.number} is assigned to @${nameOf(last.assignee_id)} by round-robin.`,
    );
  });

  it('skips an away agent until they are back; an agent may set only themselves away', async () => {
    expect(await command(bob, 'away @dave')).toMatch(/Only admins can change that for someone else/);
    expect(await command(carol, 'away @alice')).toMatch(/Alice is not an agent/);
    expect(await command(carol, 'away @dave')).toMatch(/Dave is out of automatic assignment/);
    expect(await command(erin, 'away')).toMatch(/You are out of automatic assignment/);
    const names = new Set<string>();
    for (let i = 0; i < 6; i++) names.add(nameOf((await file(`away ${i}`)).assignee_id));
    expect([...names].sort()).toEqual(['Bob', 'Carol', 'Fay']);
    expect(await command(carol, 'back @dave')).toMatch(/Dave is back in automatic assignment/);
    expect(await command(erin, 'back')).toMatch(/You are back/);
    const back = new Set<string>();
    for (let i = 0; i < 5; i++) back.add(nameOf((await file(`back ${i}`)).assignee_id));
    expect([...back].sort()).toEqual(['Bob', 'Carol', 'Dave', 'Erin', 'Fay']);
  });

  it('an away with a date ends by itself on that day', async () => {
    expect(await command(carol, 'away @fay until 2026-12-08')).toMatch(/has already begun/);
    expect(await command(carol, 'away @fay until 2026-02-30')).toMatch(/is not a date/);
    expect(await command(carol, 'away @fay until 2026-12-10')).toMatch(
      /Fay is out of automatic assignment until 2026-12-10/,
    );
    for (let i = 0; i < 5; i++) expect((await file(`fay away ${i}`)).assignee_id).not.toBe(fay.id);
    // Assigning by hand still works, and says she is away.
    const handed = await file('for Fay by hand');
    expect(await command(carol, `assign #${handed.number} @fay`)).toMatch(
      new RegExp(`#${handed.number} is now with Fay \\(away until 2026-12-10`),
    );
    clock.set('2026-12-10T00:00:01.000Z');
    const later = await file('for Fay when she is back');
    expect(await command(carol, `assign #${later.number} @fay`)).toBe(`#${later.number} is now with Fay.`);
    const names = new Set<string>();
    for (let i = 0; i < 5; i++) names.add(nameOf((await file(`fay back ${i}`)).assignee_id));
    expect(names.has('Fay')).toBe(true);
  });

  it('load gives each new ticket to an available agent with the fewest open tickets', async () => {
    expect(await command(carol, 'config assignment load')).toMatch(/now load/);
    // Uneven loads: Bob's tickets are closed, so he has none.
    const bobs = await db.selectFrom('tickets').select('id').where('assignee_id', '=', bob.id).execute();
    for (const t of bobs) expect((await closeTicket(deps, bob, t.id)).ok).toBe(true);
    const agents = [bob, carol, dave, erin, fay];
    for (let i = 0; i < 8; i++) {
      const loads = await Promise.all(agents.map((a) => openCount(a.id)));
      const fewest = Math.min(...loads);
      const ticket = await file(`load ${i}`);
      const chosen = agents.findIndex((a) => a.id === ticket.assignee_id);
      expect(chosen).toBeGreaterThanOrEqual(0);
      expect(loads[chosen]).toBe(fewest);
    }
    const last = await db.selectFrom('tickets').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect((await timelineLines(db, last.id, true)).at(-1)).toMatch(/by load$/);
  });

  it('skills sends a ticket to an agent with its category, else by load, else to the on-call person', async () => {
    expect(await command(carol, 'config assignment skills')).toMatch(/now skills/);
    expect(await command(carol, 'skills @dave network')).toMatch(/Dave now takes network tickets/);
    expect(await command(erin, 'skills @erin access,network')).toMatch(
      /Erin now takes access, network tickets/,
    );
    expect(await command(bob, 'skills @dave access')).toMatch(/Only admins/);
    const audited = await db.selectFrom('audit_log').select(['action', 'target', 'after']).execute();
    expect(audited).toContainEqual({ action: 'skills', target: `person:${dave.id}`, after: ['network'] });
    expect(await command(carol, 'skills @fay wifi')).toMatch(/Unknown category: wifi/);
    expect(await command(bob, 'skills @erin')).toBe('Erin: access, network');
    const listed = await command(bob, 'skills');
    expect(listed).toContain('• Dave: network');
    expect(listed).toContain('• Bob: no skills set');
    expect(listed).not.toContain('Zapier');

    const network = new Set<string>();
    for (let i = 0; i < 6; i++) network.add(nameOf((await file(`vpn ${i}`, 'network')).assignee_id));
    expect([...network].sort()).toEqual(['Dave', 'Erin']);
    const access = await file('need SAP access', 'access');
    expect(access.assignee_id).toBe(erin.id);
    expect((await timelineLines(db, access.id, true)).at(-1)).toContain(
      'assigned to Erin by skills (access)',
    );

    // Nobody takes printing: by load among everyone, and the timeline says why.
    const printing = await file('toner empty', 'printing');
    expect(printing.assignee_id).not.toBeNull();
    expect((await timelineLines(db, printing.id, true)).at(-1)).toContain(
      'by load (nobody with printing skills is available)',
    );

    // Everyone away: the on-call person takes it.
    for (const p of ['bob', 'carol', 'dave', 'erin', 'fay']) await command(carol, `away @${p}`);
    await setSetting(db, 'on-call:console', { userId: 'dave', name: 'Dave' }, null);
    const night = await file('server room alarm', 'network');
    expect(night.assignee_id).toBe(dave.id);
    expect((await timelineLines(db, night.id, true)).at(-1)).toContain('assigned to Dave by on-call');
    for (const p of ['bob', 'carol', 'dave', 'erin', 'fay']) await command(carol, `back @${p}`);
  });

  it('a reopened ticket whose assignee is away goes to someone available', async () => {
    const ticket = await file('vpn again', 'network');
    const first = ticket.assignee_id;
    expect(first).not.toBeNull();
    expect((await resolveTicket(deps, carol, ticket.id, 'fixed')).ok).toBe(true);
    await command(carol, `away @${nameOf(first).toLowerCase()}`);
    const reopened = await reopenTicket(deps, alice, ticket.id);
    expect(reopened.ok && reopened.ticket.assignee_id).not.toBe(first);
    expect(reopened.ok && reopened.ticket.assignee_id).not.toBeNull();
    const card = await db
      .selectFrom('outbox')
      .select('body')
      .where('ticket_id', '=', ticket.id)
      .where('purpose', '=', 'ticket-card-update')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(card.body)).toContain(
      `"label":"Assignee","value":"${nameOf(reopened.ok ? reopened.ticket.assignee_id : null)}"`,
    );
    await command(carol, `back @${nameOf(first).toLowerCase()}`);
  });

  it('autoAssign leaves a ticket that is not new or open alone', async () => {
    const ticket = await file('please close', 'other');
    expect((await closeTicket(deps, alice, ticket.id)).ok).toBe(true);
    const result = await unitOfWork(deps, (tx) => autoAssign(deps, tx, ticket.id));
    expect(result).toEqual({ assigned: false, reason: 'not_assignable' });
  });
});

describe('50 tickets filed at once', () => {
  it('round-robin gives each available agent the same number, in strict turn: no two read the same "next"', async () => {
    await command(carol, 'config assignment round-robin');
    // Its own pool, wide enough for real concurrency on the same schema.
    const pool = new pg.Pool({
      connectionString: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
      max: 20,
      options: `-c search_path=${testDb.schema}`,
    });
    const wide = new Kysely<any>({ dialect: new PostgresDialect({ pool }) }) as Db;
    const wideDeps: CoreDeps = { ...deps, db: wide };
    try {
      const filed = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          unitOfWork(wideDeps, (tx) =>
            tickets.createTicket(wideDeps, tx, alice, {
              description: `burst ${i}`,
              conversation: consoleRequester,
            }),
          ),
        ),
      );
      const ids = filed.map((outcome) => (outcome.ok ? outcome.ticket.id : -1));
      expect(ids).not.toContain(-1);
      const events = await db
        .selectFrom('ticket_events')
        .select(['ticket_id', 'after'])
        .where('type', '=', 'assigned')
        .where('ticket_id', 'in', ids)
        .orderBy('id')
        .execute();
      expect(events).toHaveLength(50);
      const sequence = events.map((e) => Number((e.after as { assignee_id: number }).assignee_id));
      const counts = new Map<number, number>();
      for (const id of sequence) counts.set(id, (counts.get(id) ?? 0) + 1);
      expect([...counts.keys()].sort((a, b) => a - b)).toEqual(
        [bob, carol, dave, erin, fay].map((p) => p.id).sort((a, b) => a - b),
      );
      expect([...counts.values()]).toEqual([10, 10, 10, 10, 10]);
      // Each assignment read the one before it: the next agent in id order, wrapping.
      const order = [bob, carol, dave, erin, fay].map((p) => p.id).sort((a, b) => a - b);
      for (let i = 1; i < sequence.length; i++) {
        const before = order.indexOf(sequence[i - 1] ?? -1);
        expect(sequence[i]).toBe(order[(before + 1) % order.length]);
      }
    } finally {
      await wide.destroy();
    }
  });
});
