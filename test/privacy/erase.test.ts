/**
 * Export and erase per person, on the real Postgres and Redis: the export holds the person's data,
 * the download link works once, chat and CLI refuse without admin rights or confirmation, and after
 * an erasure no text or JSON column of any table holds their e-mail, name or any message they wrote,
 * while ticket counts and statistics stay as they were.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactText } from '../../src/agents/guard.ts';
import type { ChatEvent } from '../../src/core/chat/chat.ts';
import { recordLlmCall } from '../../src/core/kb/llm-call.repository.ts';
import { FORMER_EMPLOYEE_EMAIL } from '../../src/core/privacy/anonymise.ts';
import { findSubject, parseSubject } from '../../src/core/privacy/subject.ts';
import { computeStats } from '../../src/core/stats/stats.service.ts';
import { command, consoleUser, dm, message, startTestApp, type TestApp } from '../support/app.ts';
import { cliEnv, runCli } from '../support/cli.ts';
import { TEST_DATABASE_URL } from '../support/db.ts';

const EMAIL = 'zelda@example.com';
const NAME = 'zelda';
const FIRST = 'my docking station keeps flickering the external monitor every few minutes';
const FOLLOW_UP = 'swapped the displayport cable already, flicker is still there on both screens';

let app: TestApp;
let base: string;
const dir = mkdtempSync(join(tmpdir(), 'helpdesk-privacy-'));
const run = async (event: ChatEvent) => {
  await app.accept(event);
  await app.idle();
};
const cli = (args: string[]) =>
  runCli(args, {
    env: cliEnv({
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: app.config.DATABASE_SCHEMA,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
    }),
  });

beforeAll(async () => {
  app = await startTestApp({ env: { HELPDESK_ADMINS: 'root@example.com,zelda@example.com' } });
  base = `http://${await app.listen()}`.replace('http://http://', 'http://');
  await run(command('root', 'config triage-channel it-triage'));
  const first = message(NAME, FIRST);
  await run(first);
  const ticket = await app.deps.db.selectFrom('tickets').select(['id', 'number']).executeTakeFirstOrThrow();
  await run(command('root', `claim #${ticket.number}`));
  await run(command('root', `reply #${ticket.number} please try another port on the dock`));
  await run(message(NAME, FOLLOW_UP, { conversation: first.conversation }));
  await run(command('root', `resolve #${ticket.number} replaced the dock`));
  await run({
    platform: 'console',
    kind: 'action',
    eventId: `csat-${Date.now()}`,
    sender: consoleUser(NAME),
    conversation: dm(NAME),
    actionId: 'csat.rate',
    value: `${ticket.id}:4`,
  });
  // Zelda is an admin too: her own configuration change is audited under her name.
  await run(command(NAME, 'config escalation-channel it-escalations'));
  // What a configured model would have recorded: the redacted request.
  await recordLlmCall(
    app.deps.db,
    {
      model: 'gpt-test',
      purpose: 'triage',
      latencyMs: 12,
      outcome: 'ok',
      input: `Request:\n${redactText(FIRST)}`,
    },
    new Date(),
  );
}, 120_000);

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every text, varchar, json(b) and text-array column of every table in the test schema. */
async function columns() {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      and t.table_type = 'BASE TABLE'
    where c.table_schema = current_schema()
      and (c.data_type in ('text', 'character varying', 'json', 'jsonb') or c.data_type = 'ARRAY')
    order by 1, 2`.execute(app.deps.db);
  return rows;
}

/** Where `needle` occurs (case-insensitive), as `table.column` for each column holding it. */
async function findEverywhere(needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const { table_name, column_name } of await columns()) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table_name)}
      where ${sql.ref(column_name)}::text ilike ${`%${needle}%`}`.execute(app.deps.db);
    if ((rows[0]?.n ?? 0) > 0) found.push(`${table_name}.${column_name}`);
  }
  return found;
}

describe('privacy export', () => {
  it("writes one JSON document with the person's identities, tickets, messages, ratings and audit entries", () => {
    const out = join(dir, 'zelda.json');
    const result = cli(['privacy', 'export', EMAIL, '--out', out]);
    expect(result.status, result.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.format).toBe('helpdesk-privacy-export/1');
    expect(doc.person).toMatchObject({ displayName: NAME, email: EMAIL, role: 'admin' });
    expect(doc.identities).toEqual([
      expect.objectContaining({ platform: 'console', user_id: NAME, email: EMAIL }),
    ]);
    expect(doc.tickets).toHaveLength(1);
    expect(doc.tickets[0]).toMatchObject({ description: FIRST, csat: 4, status: 'resolved' });
    expect(doc.tickets[0].timeline.map((e: { body: string | null }) => e.body)).toEqual(
      expect.arrayContaining([FOLLOW_UP, 'please try another port on the dock']),
    );
    expect(doc.messages.map((m: { body: string }) => m.body)).toContain(FOLLOW_UP);
    expect(doc.ratings).toEqual([{ ticket: doc.tickets[0].number, csat: 4 }]);
    expect(doc.auditEntries).toEqual([
      expect.objectContaining({ action: 'config', target: 'escalation-channel:console' }),
    ]);
    expect(doc.llmCalls).toEqual([expect.objectContaining({ purpose: 'triage' })]);
    expect(doc.inboundEvents.length).toBeGreaterThanOrEqual(2);

    // The other ways to name a person, without another process.
    expect(parseSubject(`console:${NAME}`)).toEqual({ kind: 'identity', platform: 'console', userId: NAME });
    expect(parseSubject('Someone')).toBeUndefined();
  }, 120_000);

  it('in chat, refuses a non-admin and gives an admin a link that works once', async () => {
    await run(message('bob', 'hello'));
    await run(command('bob', `privacy export @${NAME}`));
    expect(app.output()).toContain('`privacy` needs the admin role (you are a requester)');
    expect(await app.deps.db.selectFrom('privacy_exports').select('token_hash').execute()).toEqual([]);

    await run(command('root', `privacy export @${NAME}`));
    const link = /\/privacy\/exports\/([A-Za-z0-9_-]{43})/.exec(app.output());
    expect(link, app.output()).not.toBeNull();
    const first = await fetch(`${base}/privacy/exports/${link?.[1]}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(((await first.json()) as { person: { email: string } }).person.email).toBe(EMAIL);
    const again = await fetch(`${base}/privacy/exports/${link?.[1]}`);
    expect(again.status).toBe(404);
    expect((await fetch(`${base}/privacy/exports/${'x'.repeat(43)}`)).status).toBe(404);
  });
});

describe('privacy erase', () => {
  it('without --yes is refused and changes nothing', async () => {
    const result = cli(['privacy', 'erase', EMAIL]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('run again with --yes');
    expect(await findSubject(app.deps.db, { kind: 'email', email: EMAIL })).toEqual(expect.any(Number));
  }, 60_000);

  it('leaves no e-mail, name or message text in any column of any table, and keeps the statistics', async () => {
    // Before: the person is found where expected (the search itself works).
    expect(await findEverywhere(FIRST)).toEqual(expect.arrayContaining(['tickets.description']));
    expect(await findEverywhere(EMAIL)).toEqual(expect.arrayContaining(['people.email', 'identities.email']));
    const statsBefore = await computeStats(app.deps.db, new Date(Date.now() + 60_000), 30);
    const ticketsBefore = await app.deps.db
      .selectFrom('tickets')
      .select(['number', 'category', 'priority', 'csat', 'status', 'created_at', 'resolved_at'])
      .orderBy('number')
      .execute();

    const result = cli(['privacy', 'erase', EMAIL, '--yes']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/tickets: 1/);

    for (const needle of [EMAIL, NAME, FIRST, FOLLOW_UP, redactText(FIRST)])
      expect({ needle, found: await findEverywhere(needle) }).toEqual({ needle, found: [] });

    const ticketsAfter = await app.deps.db
      .selectFrom('tickets')
      .select(['number', 'category', 'priority', 'csat', 'status', 'created_at', 'resolved_at'])
      .orderBy('number')
      .execute();
    expect(ticketsAfter).toEqual(ticketsBefore);
    const requester = await app.deps.db
      .selectFrom('tickets')
      .innerJoin('people', 'people.id', 'tickets.requester_id')
      .select(['people.email', 'people.display_name'])
      .where('tickets.number', '=', ticketsBefore[0]?.number ?? 0)
      .executeTakeFirstOrThrow();
    expect(requester).toEqual({ email: FORMER_EMPLOYEE_EMAIL, display_name: 'Former employee' });
    const statsAfter = await computeStats(app.deps.db, statsBefore.to, 30);
    const figures = (s: typeof statsBefore) => ({
      ...s,
      knowledgeGaps: s.knowledgeGaps.map((g) => [g.category, g.count]),
    });
    expect(figures(statsAfter)).toEqual(figures(statsBefore));

    // The erasure is recorded: who, when, how many rows per table, and nothing erased.
    const entry = await app.deps.db
      .selectFrom('audit_log')
      .select(['actor_name', 'action', 'target', 'after'])
      .where('action', '=', 'privacy')
      .where('target', '=', 'erase')
      .executeTakeFirstOrThrow();
    expect(entry.actor_name).toMatch(/^cli \(/);
    expect((entry.after as { counts: Record<string, number> }).counts).toMatchObject({
      tickets: expect.any(Number),
      identities: 1,
    });
    expect(JSON.stringify(entry)).not.toContain(NAME);
    // The former employee is never a subject.
    expect(await findSubject(app.deps.db, { kind: 'email', email: FORMER_EMPLOYEE_EMAIL })).toBeUndefined();
  }, 120_000);

  it('in chat, asks an admin to confirm, then erases and audits without the generic settings diff', async () => {
    await run(command('root', 'config on-call @bob'));
    await run(command('root', 'privacy erase @bob'));
    expect(app.output()).toContain(
      'This erases bob everywhere and cannot be undone. To go ahead: `privacy erase @bob yes`.',
    );
    expect(await findSubject(app.deps.db, { kind: 'email', email: 'bob@example.com' })).toEqual(
      expect.any(Number),
    );
    await run(command('root', 'privacy erase @root yes'));
    expect(app.output()).toContain('You cannot erase yourself; ask another admin.');

    await run(command('root', 'privacy erase @bob yes'));
    expect(app.output()).toMatch(/Erased: \d+ rows changed in \d+ tables\./);
    expect(await findSubject(app.deps.db, { kind: 'email', email: 'bob@example.com' })).toBeUndefined();
    // The on-call no longer names bob, and no audit entry copied what it said.
    const onCall = await app.deps.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'on-call:console')
      .executeTakeFirst();
    expect(JSON.stringify(onCall?.value ?? null)).not.toMatch(/\bbob\b/);
    const audit = await app.deps.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    expect(audit.at(-1)).toMatchObject({ actor_name: 'root', action: 'privacy', target: 'erase' });
    expect(await findEverywhere('bob@example.com')).toEqual([]);
  });
});
