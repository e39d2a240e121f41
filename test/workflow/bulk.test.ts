/**
 * Bulk ticket commands on the real Postgres: each ticket changes in a savepoint of its own, so a
 * ticket whose change fails midway leaves no trace (row, timeline, outbox) and the others still change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand as runCommandTx } from '../../src/core/commands/registry.ts';
import type { Db } from '../../src/core/db.ts';
import type { CoreDeps } from '../../src/core/deps.ts';
import type { Person } from '../../src/core/people/people.service.ts';
import { setSetting } from '../../src/core/settings/settings.ts';
import * as tickets from '../../src/core/tickets/ticket.service.ts';
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

let testDb: TestDb;
let db: Db;
let deps: CoreDeps;
let alice: Person;
let bob: Person;
/** The ticket whose change a hook breaks halfway (after its row and timeline were written). */
let broken = -1;

beforeAll(async () => {
  testDb = await freshSchema('bulk');
  db = testDb.db;
  const base = testDeps(db, '2026-12-08T09:00:00.000Z').deps;
  deps = {
    ...base,
    ticketHooks: [
      ...base.ticketHooks,
      async (_tx, _deps, change) => {
        if (change.ticket.id === broken && change.type !== 'created') throw new Error('hook failed');
      },
    ],
  };
  await setSetting(db, 'triage-channel:console', consoleTriage, null);
  alice = await person(db, 'Alice', 'requester');
  bob = await person(db, 'Bob', 'agent');
});
afterAll(async () => testDb?.close());

async function command(who: Person, text: string): Promise<string> {
  const result = await unitOfWork(deps, (tx) =>
    runCommandTx(deps, tx, who, text, {
      sender: { platform: 'console', tenant: 'local', userId: who.displayName.toLowerCase() },
      conversation: consoleTriage,
      conversationId: 0,
      eventId: `e-${Math.random()}`,
    }),
  );
  return 'reply' in result ? result.reply.text : JSON.stringify(result);
}

async function file(description: string) {
  const outcome = await createTicket(deps, alice, { description, conversation: consoleRequester });
  if (!outcome.ok) throw new Error('not filed');
  return outcome.ticket;
}

describe('bulk commands, one savepoint per ticket', () => {
  it('a ticket whose change fails midway is left untouched and reported; the others change', async () => {
    const [a, b, c] = [await file('one'), await file('two'), await file('three')];
    broken = b.id;
    const outboxBefore = await db.selectFrom('outbox').select('id').where('ticket_id', '=', b.id).execute();
    const answer = await command(bob, `priority #${a.number}-#${c.number} P1`);
    expect(answer).toBe(
      `Now P1: #${a.number}, #${c.number} (2 of 3).\nRefused:\n• #${b.number}: it could not be changed because of an error; nothing changed on it.`,
    );
    const rows = await db
      .selectFrom('tickets')
      .select(['id', 'priority'])
      .where('id', 'in', [a.id, b.id, c.id])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.priority)).toEqual(['P1', 'P3', 'P1']);
    const events = await db
      .selectFrom('ticket_events')
      .select('type')
      .where('ticket_id', '=', b.id)
      .execute();
    expect(events.map((e) => e.type)).toEqual(['created']);
    const outboxAfter = await db.selectFrom('outbox').select('id').where('ticket_id', '=', b.id).execute();
    expect(outboxAfter).toHaveLength(outboxBefore.length);
  });

  it('a requester closes their own ticket alone, but not several at once', async () => {
    const [a, b] = [await file('four'), await file('five')];
    expect(await command(alice, `close #${a.number} #${b.number}`)).toBe(
      'Only agents can change several tickets at once (you are a requester).',
    );
    expect(await command(alice, `close #${a.number}`)).toBe(`Closed #${a.number}.`);
  });

  it('names tickets that do not exist among the refused', async () => {
    const a = await file('six');
    expect(await command(bob, `resolve #${a.number} #99999 rebooted`)).toBe(
      `Resolved: #${a.number} (1 of 2).\nRefused:\n• #99999: there is no such ticket.`,
    );
  });
});
