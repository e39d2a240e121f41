/** The audit of configuration: admin commands that change settings or roles are recorded and listed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command, message, startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
const run = async (event: Parameters<TestApp['accept']>[0]) => {
  await app.accept(event);
  await app.idle();
};

beforeAll(async () => {
  app = await startTestApp({ env: { HELPDESK_ADMINS: 'root@example.com' } });
  await run(command('root', 'help'));
  await run(message('bob', 'hello, I am bob'));
});
afterAll(async () => {
  await app?.close();
});

describe('audit', () => {
  it('records who changed a setting and a role, from what to what, and lists it to admins only', async () => {
    await run(command('root', 'config triage-channel it-triage'));
    await run(command('root', 'role @bob agent'));
    await run(command('root', 'sla P1 first-response 20m'));
    await run(command('root', 'queue'));
    const rows = await app.deps.db
      .selectFrom('audit_log')
      .select(['actor_name', 'action', 'target', 'before', 'after'])
      .orderBy('id')
      .execute();
    expect(rows.map((row) => [row.action, row.target])).toEqual([
      ['config', 'triage-channel:console'],
      ['role', expect.stringMatching(/^role:\d+$/)],
      ['sla', expect.stringMatching(/^sla/)],
    ]);
    expect(rows[0]).toMatchObject({ actor_name: 'root', before: null, after: { channel: 'it-triage' } });
    expect(rows[1]).toMatchObject({ before: 'requester', after: 'agent' });

    await run(command('root', 'audit 7d'));
    expect(app.output()).toMatch(/root \(role\) role of bob: requester → agent/);
    expect(app.output()).toMatch(
      /root \(config\) triage-channel:console: \(none\) → \{.*"channel":"it-triage"/,
    );

    await run(command('bob', 'audit'));
    expect(app.output()).toContain('`audit` needs the admin role (you are an agent)');
    await run(command('root', 'audit 0d'));
    expect(app.output()).toContain('Usage: `audit 7d`');
  });
});

describe('absurd settings', () => {
  it('refuses periods outside 5s..365d and changes nothing', async () => {
    const before = await app.deps.db.selectFrom('settings').selectAll().execute();
    await run(command('root', 'sla P1 first-response 99999999999999d'));
    expect(app.output()).toContain('Not changed: that is longer than the longest period allowed (365d).');
    await run(command('root', 'escalation L2 after 1s'));
    expect(app.output()).toContain('Not changed: 1s is shorter than the shortest period allowed (5s).');
    await run(command('root', 'lifecycle auto-close 400d'));
    expect(app.output()).toContain('Not changed: that is longer than the longest period allowed (365d).');
    const after = await app.deps.db.selectFrom('settings').selectAll().execute();
    expect(after).toEqual(before);
    const failed = await app.deps.db
      .selectFrom('inbound_events')
      .select('error')
      .where('error', 'is not', null)
      .execute();
    expect(failed).toEqual([]);
  });
});
