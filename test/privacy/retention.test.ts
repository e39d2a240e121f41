/**
 * Retention on the real Postgres and Redis: with rows backdated past their periods, one run purges
 * raw inbound payloads, delivered outbox bodies, model texts and the model cache, anonymises the
 * old closed ticket (and nothing else), counts what it did, leaves the statistics as they were,
 * and a second run (the operator's `helpdesk retention run`) finds nothing more to do.
 */
import { Queue } from 'bullmq';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHandlers } from '../../src/app/jobs.ts';
import type { ChatEvent } from '../../src/core/chat/chat.ts';
import { recordLlmCall, writeLlmCache } from '../../src/core/kb/llm-call.repository.ts';
import { type Counts, FORMER_EMPLOYEE_EMAIL, REDACTED } from '../../src/core/privacy/anonymise.ts';
import { computeStats } from '../../src/core/stats/stats.service.ts';
import { command, message, startTestApp, type TestApp } from '../support/app.ts';
import { cliEnv, runCli } from '../support/cli.ts';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/db.ts';

const OLD_REQUEST = 'the docking station in room 4.12 keeps dropping the network connection';
const LIVE_REQUEST = 'my laptop screen is cracked after it fell off the desk this morning';
const DAY = 86_400_000;

let app: TestApp;
const run = async (event: ChatEvent) => {
  await app.accept(event);
  await app.idle();
};
const ago = (days: number) => new Date(Date.now() - days * DAY);

beforeAll(async () => {
  app = await startTestApp({ env: { HELPDESK_ADMINS: 'root@example.com' } });
  await run(command('root', 'config triage-channel it-triage'));
  await run(
    message('alice', OLD_REQUEST, {
      attachments: [
        { name: 'dock-photo.png', contentType: 'image/png', url: 'https://files.example.com/dock-photo.png' },
      ],
    }),
  );
  await run(command('root', 'claim #1'));
  await run(command('root', 'reply #1 please try the port on the left side of the dock'));
  await run(command('root', 'resolve #1 replaced the dock in room 4.12'));
  await run(command('root', 'close #1'));
  await run(message('carol', LIVE_REQUEST));
  await recordLlmCall(
    app.deps.db,
    { model: 'm', purpose: 'triage', latencyMs: 5, outcome: 'ok', input: 'old question text' },
    ago(40),
  );
  await recordLlmCall(
    app.deps.db,
    { model: 'm', purpose: 'triage', latencyMs: 5, outcome: 'ok', input: 'new question text' },
    new Date(),
  );
  await writeLlmCache(
    app.deps.db,
    { key: 'old', purpose: 'triage', model: 'm', response: { title: 'old' } },
    ago(40),
  );
  await writeLlmCache(
    app.deps.db,
    { key: 'new', purpose: 'triage', model: 'm', response: { title: 'new' } },
    new Date(),
  );
  // Everything so far happened "40 days ago"; ticket #1 closed three years ago.
  await sql`update inbound_events set received_at = ${ago(40)}`.execute(app.deps.db);
  await sql`update outbox set created_at = ${ago(40)}`.execute(app.deps.db);
  await sql`update tickets set closed_at = ${ago(3 * 365)} where number = 1`.execute(app.deps.db);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('retention', () => {
  it('is set by admins within documented ranges, refused otherwise, and scheduled daily', async () => {
    await run(command('alice', 'retention inbound 30d'));
    expect(app.output()).toContain('`retention` needs the admin role (you are a requester)');
    await run(command('root', 'retention inbound 0d'));
    expect(app.output()).toContain('The inbound period must be from 1d to 3650d (10y); got 0d.');
    await run(command('root', 'retention closed-tickets 11y'));
    expect(app.output()).toContain('The closed-tickets period must be from 30d to 3650d (10y); got 4015d.');
    await run(command('root', 'retention llm 3w'));
    expect(app.output()).toContain('`3w` is not a period.');
    await run(command('root', 'retention inbound 30d'));
    await run(command('root', 'retention llm 30d'));
    await run(command('root', 'retention closed-tickets 2y'));
    expect(app.output()).toContain('Retention for closed-tickets is now 2y (730d)');
    await run(command('root', 'retention'));
    expect(app.output()).toMatch(/• inbound: 30d — raw inbound payloads/);
    expect(app.output()).toContain('No run yet');
    // The generic admin audit records each policy.
    const audited = await app.deps.db
      .selectFrom('audit_log')
      .select('target')
      .where('target', 'like', 'retention:%')
      .execute();
    expect(audited.map((row) => row.target).sort()).toEqual([
      'retention:closed-tickets',
      'retention:inbound',
      'retention:llm',
    ]);

    const queue = new Queue(app.config.QUEUE_PREFIX, {
      connection: { url: TEST_REDIS_URL },
      prefix: app.config.QUEUE_PREFIX,
    });
    try {
      expect(await queue.getJobScheduler('cron-retention')).toMatchObject({
        name: 'retention',
        pattern: '30 3 * * *',
        tz: 'UTC',
      });
    } finally {
      await queue.close();
    }
  });

  it('purges and anonymises what is past its period, with counts, and keeps the statistics', async () => {
    const db = app.deps.db;
    const statsBefore = await computeStats(db, new Date(Date.now() + 60_000), 30);
    const old = await db
      .selectFrom('inbound_events')
      .select('id')
      .where('received_at', '<', ago(30))
      .execute();
    const oldOutbox = await db.selectFrom('outbox').select('id').where('created_at', '<', ago(30)).execute();
    const [t1, t2] = await db.selectFrom('tickets').selectAll().orderBy('number').execute();
    expect(t1?.source_event_id).not.toBeNull();

    // Through the job the daily scheduler fires.
    const counts = (await jobHandlers(app.deps).retention({}, { id: 'test', attempts: 0 })) as Counts;
    const [last] = await db.selectFrom('retention_runs').select(['trigger', 'counts']).execute();
    const result = { counts };
    expect(last).toEqual({ trigger: 'schedule', counts });
    expect(result.counts).toMatchObject({
      inbound_events: old.length,
      llm_calls: 1,
      llm_cache: 1,
      tickets: 1,
      ticket_attachments: 1,
    });
    expect(result.counts.outbox).toBeGreaterThan(0);
    expect(result.counts.outbox).toBeLessThanOrEqual(oldOutbox.length);

    expect(
      await db.selectFrom('inbound_events').select('id').where('received_at', '<', ago(30)).execute(),
    ).toEqual([]);
    const bodies = await db
      .selectFrom('outbox')
      .select(['body', 'ticket_id'])
      .where('created_at', '<', ago(30))
      .execute();
    // Only the live ticket's card keeps its body (button answers show it again).
    for (const row of bodies.filter((b) => !(b.ticket_id === t2?.id && b.body.message?.card)))
      expect(row.body).toEqual({ redacted: true });
    expect(
      (await db.selectFrom('llm_calls').select('input').orderBy('id').execute()).map((r) => r.input),
    ).toEqual([null, 'new question text']);
    expect((await db.selectFrom('llm_cache').select('key').execute()).map((r) => r.key)).toEqual(['new']);

    const anonymised = await db
      .selectFrom('tickets')
      .innerJoin('people', 'people.id', 'tickets.requester_id')
      .selectAll('tickets')
      .select('people.email')
      .where('tickets.number', '=', 1)
      .executeTakeFirstOrThrow();
    expect(anonymised).toMatchObject({
      email: FORMER_EMPLOYEE_EMAIL,
      title: 'Anonymised ticket',
      description: REDACTED,
      resolution: REDACTED,
      source_event_id: null,
      category: t1?.category,
      priority: t1?.priority,
      created_at: t1?.created_at,
      resolved_at: t1?.resolved_at,
      first_response_at: t1?.first_response_at,
    });
    const events = await db
      .selectFrom('ticket_events')
      .select(['body', 'after'])
      .where('ticket_id', '=', t1?.id ?? 0)
      .execute();
    for (const event of events) {
      expect([null, REDACTED]).toContain(event.body);
      expect(JSON.stringify(event.after ?? {})).not.toContain('title');
    }
    expect(await db.selectFrom('ticket_attachments').select(['name', 'url']).execute()).toEqual([
      { name: expect.stringMatching(/^file \d+$/), url: '' },
    ]);
    expect(
      await db
        .selectFrom('kb_articles')
        .select('id')
        .where('source_ticket_id', '=', t1?.id ?? 0)
        .where('status', '=', 'draft')
        .execute(),
    ).toEqual([]);
    // The live ticket is untouched, but for the link to its purged raw event.
    expect(await db.selectFrom('tickets').selectAll().where('number', '=', 2).executeTakeFirst()).toEqual({
      ...t2,
      source_event_id: null,
    });
    // No table still quotes the old request.
    for (const table of [
      'tickets',
      'ticket_events',
      'outbox',
      'inbound_events',
      'kb_articles',
      'kb_answers',
    ] as const) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} t
        where t::text ilike ${`%${OLD_REQUEST}%`}`.execute(db);
      expect({ table, n: rows[0]?.n }).toEqual({ table, n: 0 });
    }

    const statsAfter = await computeStats(db, statsBefore.to, 30);
    const figures = (s: typeof statsBefore) => ({
      ...s,
      knowledgeGaps: s.knowledgeGaps.map((g) => [g.category, g.count]),
    });
    expect(figures(statsAfter)).toEqual(figures(statsBefore));

    await run(command('root', 'retention'));
    expect(app.output()).toMatch(/Last run .* UTC \(schedule\): .*inbound_events \d+.*tickets 1/);
  });

  it('runs again from the CLI and finds nothing more to do', async () => {
    const result = runCli(['retention', 'run'], {
      env: cliEnv({
        DATABASE_URL: TEST_DATABASE_URL,
        DATABASE_SCHEMA: app.config.DATABASE_SCHEMA,
        LOG_LEVEL: 'warn',
        NODE_ENV: 'test',
      }),
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('retention run (inbound 30d, llm 30d, closed-tickets 730d):');
    expect(result.stdout).toContain('nothing past its period');
    const runs = await app.deps.db
      .selectFrom('retention_runs')
      .select(['trigger', 'counts'])
      .orderBy('id')
      .execute();
    expect(runs.map((r) => r.trigger)).toEqual(['schedule', 'cli']);
    expect(runs[1]?.counts).toEqual({});
  }, 90_000);
});
