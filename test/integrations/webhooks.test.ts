/**
 * Outbound webhooks end to end on the real Postgres and Redis: signed deliveries to a local
 * receiver, retries (500, 429 with Retry-After), order per ticket, URL refusals, `webhook test`,
 * and a webhook that keeps failing disabled with the triage channel told.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHandlers } from '../../src/app/jobs.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { command, consoleUser, dm, message, startTestApp, type TestApp } from '../support/app.ts';
import { type Receiver, startReceiver, waitFor } from './receiver.ts';

const ajv = new Ajv2020({ allErrors: true });
addFormats.default(ajv);
const validPayload = ajv.compile(
  JSON.parse(readFileSync(new URL('../../docs/webhooks.schema.json', import.meta.url), 'utf8')),
);

/** Every body a receiver got matches the documented JSON Schema. */
function expectDocumented(received: Receiver['received']) {
  for (const request of received) {
    const ok = validPayload(JSON.parse(request.body));
    expect(ok ? [] : validPayload.errors, request.body).toEqual([]);
  }
}

let app: TestApp;
let receiver: Receiver;
const clock = fixedClock('2026-12-07T09:00:00Z');
const run = async (event: Parameters<TestApp['accept']>[0]) => {
  await app.accept(event);
  await app.idle();
};

async function addWebhook(url: string, events = ''): Promise<{ id: number; secret: string }> {
  const before = app.output().length;
  await run(command('root', `webhook add ${url} ${events}`.trim()));
  const said = app.output().slice(before);
  const id = /Webhook (\d+) added/.exec(said)?.[1];
  const secret = /(whsec_[0-9a-f]+)/.exec(said)?.[1];
  if (!id || !secret) throw new Error(`webhook add said: ${said}`);
  return { id: Number(id), secret };
}

const ticketEvents = (r: Receiver, path: string) =>
  r.received
    .filter((req) => req.status === 200 && req.path === path)
    .map((req) => JSON.parse(req.body) as { type: string; id: string; data: Record<string, unknown> });

async function fileTicket(text: string): Promise<number> {
  await run(command('alice', `new ${text}`));
  const row = await app.deps.db
    .selectFrom('tickets')
    .select(['id', 'number'])
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return row.number;
}

beforeAll(async () => {
  receiver = await startReceiver();
  app = await startTestApp({ env: { HELPDESK_ADMINS: 'root@example.com' }, clock });
  await run(command('root', 'config triage-channel it-triage'));
  await run(message('bob', 'hello, I am bob'));
  await run(command('root', 'role @bob agent'));
});
afterAll(async () => {
  await app?.close();
  await receiver?.close();
});

describe('webhook URLs', () => {
  it('refuses plain http to the internet and private-network targets, and adds nothing', async () => {
    await run(command('root', 'webhook add http://example.com/hook'));
    expect(app.output()).toContain('Refused http://example.com/hook: only https URLs are allowed');
    await run(command('root', 'webhook add https://10.1.2.3/hook'));
    expect(app.output()).toMatch(/Refused https:\/\/10\.1\.2\.3\/hook: 10\.1\.2\.3 is on a private network/);
    await run(command('root', 'webhook add https://192.168.1.20/hook'));
    expect(app.output()).toContain('WEBHOOK_ALLOW_PRIVATE must allow it');
    await run(command('root', 'webhook add https://[fd00::1]/hook'));
    expect(app.output()).toMatch(/Refused https:\/\/\[fd00::1\]\/hook/);
    await run(command('bob', 'webhook list'));
    expect(app.output()).toContain('`webhook` needs the admin role (you are an agent)');
    expect(await app.deps.db.selectFrom('webhooks').select('id').execute()).toEqual([]);
  });
});

describe('signed deliveries', () => {
  it('a receiver verifies the signature and timestamp of ticket.created, and `webhook test` reports back', async () => {
    const hook = await addWebhook(`${receiver.url}/signed`);
    const number = await fileTicket('my laptop will not boot');
    await waitFor(() => receiver.received.length >= 1, 20_000, 'the first delivery');
    const [got] = receiver.received;
    if (!got) throw new Error('nothing received');
    const timestamp = got.headers['x-helpdesk-timestamp'];
    expect(timestamp).toBe(String(Math.floor(clock.now().getTime() / 1000)));
    const expected = `sha256=${createHmac('sha256', hook.secret).update(`${timestamp}.${got.body}`).digest('hex')}`;
    expect(got.headers['x-helpdesk-signature']).toBe(expected);
    expect(got.headers['content-type']).toBe('application/json');
    const payload = JSON.parse(got.body);
    expect(payload).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      type: 'ticket.created',
      data: {
        ticket: {
          number,
          status: 'new',
          requester: { name: 'alice', email: 'alice@example.com' },
          assignee: null,
        },
      },
    });
    expect(got.headers['x-helpdesk-delivery']).toBe(payload.id);
    // The secret is shown once, in the reply; `webhook list` never shows it.
    await run(command('root', 'webhook list'));
    expect(app.output()).toMatch(new RegExp(`• ${hook.id} ${receiver.url}/signed — enabled`));
    expect(app.output().split(hook.secret).length).toBe(2);

    await run(command('root', `webhook test ${hook.id}`));
    await waitFor(() => app.output().includes(`Test delivery to webhook ${hook.id} succeeded: HTTP 200`));
    expect(JSON.parse(receiver.received.at(-1)?.body ?? '{}')).toMatchObject({ type: 'webhook.test' });

    expectDocumented(receiver.received);
    await run(command('root', `webhook remove ${hook.id}`));
    const audit = await app.deps.db
      .selectFrom('audit_log')
      .select(['target', 'after'])
      .where('action', '=', 'webhook')
      .execute();
    expect(audit.map((a) => a.target)).toEqual([`webhook:${hook.id}`, `webhook:${hook.id}`]);
  });

  it('a receiver failing with 500, then 429 with Retry-After, is retried until it answers 200', async () => {
    receiver.received.length = 0;
    const hook = await addWebhook(`${receiver.url}/flaky`, 'ticket.created');
    receiver.script.push({ status: 500 }, { status: 429, headers: { 'retry-after': '1' } });
    await fileTicket('printer on floor 3 jams');
    await waitFor(() => receiver.received.some((r) => r.status === 200), 30_000, 'a successful retry');
    expect(receiver.received.map((r) => r.status)).toEqual([500, 429, 200]);
    const [first, second, third] = receiver.received;
    // Same event each time (the receiver's idempotency key), and Retry-After respected.
    expect(new Set(receiver.received.map((r) => JSON.parse(r.body).id)).size).toBe(1);
    expect((third?.at ?? 0) - (second?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(500);
    const delivery = () =>
      app.deps.db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('webhook_id', '=', hook.id)
        .executeTakeFirstOrThrow();
    await waitFor(async () => (await delivery()).status === 'sent', 10_000, 'the row marked sent');
    const row = await delivery();
    expect(row).toMatchObject({ status: 'sent', attempts: 3, last_status: 200, last_error: null });
    await run(command('root', `webhook remove ${hook.id}`));
  });

  it("one ticket's events arrive in order even when its first delivery is retried", async () => {
    receiver.received.length = 0;
    const hook = await addWebhook(`${receiver.url}/ordered`);
    receiver.script.push({ status: 503 });
    const number = await fileTicket('vpn drops every hour');
    await run(command('bob', `claim #${number}`));
    await run(command('bob', `priority #${number} P1`));
    await run(command('bob', `note #${number} secret internal note`));
    await run(command('bob', `resolve #${number} replaced the router`));
    const { id: ticketId } = await app.deps.db
      .selectFrom('tickets')
      .select('id')
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    await run({
      platform: 'console',
      kind: 'action',
      eventId: `csat-${number}`,
      sender: consoleUser('alice'),
      conversation: dm('alice'),
      actionId: 'csat.rate',
      value: `${ticketId}:4`,
    });
    await waitFor(() => ticketEvents(receiver, '/ordered').length >= 5, 30_000, 'five events');
    const events = ticketEvents(receiver, '/ordered');
    expect(events.map((e) => e.type)).toEqual([
      'ticket.created',
      'ticket.updated',
      'ticket.updated',
      'ticket.resolved',
      'csat.received',
    ]);
    expect(events[4]?.data).toMatchObject({
      csat: { score: 4 },
      ticket: { number, csat: 4, status: 'resolved' },
    });
    expect(receiver.received[0]?.status).toBe(503);
    const claimed = JSON.parse(JSON.stringify(events[1]));
    expect(claimed.data.changes).toEqual({
      status: { from: 'new', to: 'open' },
      assignee: { from: null, to: { name: 'bob', email: 'bob@example.com' } },
    });
    const priority = JSON.parse(JSON.stringify(events[2]));
    expect(priority.data.changes).toEqual({ priority: { from: 'P3', to: 'P1' } });
    expectDocumented(receiver.received);
    // Internal notes never leave the helpdesk.
    expect(receiver.received.some((r) => r.body.includes('secret internal note'))).toBe(false);
    await run(command('root', `webhook remove ${hook.id}`));
  });
});

describe('SLA events', () => {
  it('an SLA warning and breach are delivered as sla.warning and sla.breached', async () => {
    const hook = await addWebhook(`${receiver.url}/sla`, 'sla.warning,sla.breached');
    const number = await fileTicket('cannot open the finance share');
    const ticket = await app.deps.db
      .selectFrom('tickets')
      .select(['id', 'created_at', 'first_response_due_at'])
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    const due = ticket.first_response_due_at;
    if (!due) throw new Error('no first-response target');
    const handlers = jobHandlers(app.deps);
    const check = { ticketId: ticket.id, target: 'first_response' as const, dueAt: due.toISOString() };
    clock.set(new Date(ticket.created_at.getTime() + 0.8 * (due.getTime() - ticket.created_at.getTime())));
    expect(await handlers['sla-check']({ ...check, kind: 'warning' }, { id: 'w', attempts: 0 })).toBe(
      'posted',
    );
    clock.set(new Date(due.getTime() + 1000));
    expect(await handlers['sla-check']({ ...check, kind: 'breach' }, { id: 'b', attempts: 0 })).toBe(
      'posted',
    );
    await waitFor(() => ticketEvents(receiver, '/sla').length >= 2, 20_000, 'the SLA events');
    const events = ticketEvents(receiver, '/sla');
    expect(events.map((e) => [e.type, e.data.sla])).toEqual([
      ['sla.warning', { target: 'first_response', due_at: due.toISOString() }],
      ['sla.breached', { target: 'first_response', due_at: due.toISOString() }],
    ]);
    expectDocumented(receiver.received.filter((r) => r.path === '/sla'));
    await run(command('root', `webhook remove ${hook.id}`));
  });
});

describe('a webhook that keeps failing', () => {
  it('is disabled after WEBHOOK_DISABLE_AFTER_DAYS and the triage channel is told', async () => {
    const failing = await startReceiver(() => ({ status: 500 }));
    try {
      const hook = await addWebhook(`${failing.url}/down`, 'ticket.created');
      await fileTicket('outlook crashes on start');
      await waitFor(() => failing.received.length >= 1, 20_000, 'the first failure');
      await waitFor(async () => {
        const row = await app.deps.db
          .selectFrom('webhooks')
          .select('failing_since')
          .where('id', '=', hook.id)
          .executeTakeFirstOrThrow();
        return row.failing_since !== null;
      });
      clock.advance(3 * 86_400_000 + 60_000);
      await waitFor(
        async () => {
          const row = await app.deps.db
            .selectFrom('webhooks')
            .select('enabled')
            .where('id', '=', hook.id)
            .executeTakeFirstOrThrow();
          return !row.enabled;
        },
        30_000,
        'the webhook to be disabled',
      );
      await app.idle();
      expect(app.output()).toMatch(
        new RegExp(
          `\\[#it-triage\\].*⚠️ Webhook ${hook.id} \\(${failing.url}/down\\) was disabled: failing since 2026-12-07 \\d\\d:\\d\\d UTC`,
        ),
      );
      // The admins are mentioned in the triage channel.
      expect(app.output()).toContain(`then \`webhook enable ${hook.id}\`. @root`);
      const deliveries = await app.deps.db
        .selectFrom('webhook_deliveries')
        .select(['status', 'last_error'])
        .where('webhook_id', '=', hook.id)
        .execute();
      expect(deliveries).toEqual([{ status: 'failed', last_error: 'HTTP 500' }]);
      await run(command('root', 'webhook list'));
      expect(app.output()).toMatch(new RegExp(`• ${hook.id} .* — disabled \\(failing since`));
      // Disabled: new events are not even recorded for it.
      const seen = failing.received.length;
      await fileTicket('keyboard missing keys');
      expect(
        await app.deps.db
          .selectFrom('webhook_deliveries')
          .select('id')
          .where('webhook_id', '=', hook.id)
          .execute(),
      ).toHaveLength(1);
      expect(failing.received.length).toBe(seen);
    } finally {
      await failing.close();
    }
  });
});
