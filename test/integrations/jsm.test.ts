/**
 * The Jira Service Management connector against a local fake JSM (node:http) on the real Postgres
 * and Redis: mirroring a ticket, public replies as comments, status as transitions, JSM's webhook
 * back to chat (with its secret, without echo), and an outage retried while chat goes on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/core/tickets/ticket.ts';
import { command, message, startTestApp, type TestApp } from '../support/app.ts';
import { type FakeJsm, startFakeJsm } from './fake-jsm.ts';
import { waitFor } from './receiver.ts';

let app: TestApp;
let jsm: FakeJsm;
const run = async (event: Parameters<TestApp['accept']>[0]) => {
  await app.accept(event);
  await app.idle();
};

async function fileTicket(text: string): Promise<{ id: number; number: number }> {
  await run(command('alice', `new ${text}`));
  return app.deps.db
    .selectFrom('tickets')
    .select(['id', 'number'])
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
}

const opsSettled = async () =>
  (await app.deps.db.selectFrom('jsm_ops').select('id').where('status', '=', 'pending').execute()).length ===
  0;

function webhook(payload: unknown, auth: { query?: string; header?: string } = { query: 's3cret' }) {
  const http = app.http;
  if (!http) throw new Error('no HTTP server');
  return http.inject({
    method: 'POST',
    url: `/integrations/jsm/webhook${auth.query === undefined ? '' : `?secret=${auth.query}`}`,
    headers: auth.header === undefined ? {} : { 'x-jsm-webhook-secret': auth.header },
    payload: payload as Record<string, unknown>,
  });
}

const keyOf = async (ticketId: number) =>
  (
    await app.deps.db
      .selectFrom('jsm_links')
      .select('jsm_key')
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst()
  )?.jsm_key;

let first: { id: number; number: number };
let key: string;

beforeAll(async () => {
  jsm = await startFakeJsm();
  app = await startTestApp({
    env: {
      HELPDESK_ADMINS: 'root@example.com',
      JSM_URL: jsm.url,
      JSM_EMAIL: 'helpdesk-bot@example.com',
      JSM_API_TOKEN: 'tok-123',
      JSM_SERVICE_DESK_ID: '4',
      JSM_REQUEST_TYPE_ID: '17',
      JSM_WEBHOOK_SECRET: 's3cret',
    },
  });
  await run(command('root', 'config triage-channel it-triage'));
  await run(message('bob', 'hello, I am bob'));
  await run(command('root', 'role @bob agent'));
  await run(command('root', `config jsm categories ${CATEGORIES.join(',')}`));
  expect(app.output()).toContain('are now mirrored to JSM');
});
afterAll(async () => {
  await app?.close();
  await jsm?.close();
});

describe('mirroring to JSM', () => {
  it('a ticket in a mirrored category becomes a JSM request; a public reply a comment, a note nothing', async () => {
    first = await fileTicket('my vpn will not connect from home');
    await waitFor(async () => (await keyOf(first.id)) !== undefined, 20_000, 'the JSM request');
    key = (await keyOf(first.id)) ?? '';
    const created = jsm.calls.find((c) => c.method === 'POST' && c.path === '/rest/servicedeskapi/request');
    expect(created?.headers.authorization).toBe(
      `Basic ${Buffer.from('helpdesk-bot@example.com:tok-123').toString('base64')}`,
    );
    expect(JSON.parse(created?.body ?? '{}')).toMatchObject({
      serviceDeskId: '4',
      requestTypeId: '17',
      raiseOnBehalfOf: 'alice@example.com',
      requestFieldValues: {
        summary: expect.stringMatching(new RegExp(`^#${first.number} `)),
        description: expect.stringContaining('my vpn will not connect from home'),
      },
    });

    await run(command('bob', `reply #${first.number} Please try the new VPN profile`));
    await run(command('bob', `note #${first.number} internal only: their laptop is old`));
    await run(command('bob', `pending #${first.number} which operating system?`));
    await waitFor(opsSettled, 20_000, 'the JSM calls');
    const comments = jsm.requests.get(key)?.comments ?? [];
    expect(comments.map((c) => [c.body, c.public])).toEqual([
      ['bob (IT, via chat): Please try the new VPN profile', true],
      ['bob (IT, via chat): which operating system?', true],
    ]);
    // `pending` asks the requester: the question is a comment, the status a transition.
    expect(jsm.requests.get(key)?.status).toBe('Pending');
    expect(jsm.calls.some((c) => c.body.includes('their laptop is old'))).toBe(false);
  });
});

describe("JSM's webhook", () => {
  it('an agent comment in JSM reaches the requester in chat once, and is not sent back to JSM', async () => {
    const commentsBefore = jsm.requests.get(key)?.comments.length ?? 0;
    const comment = {
      webhookEvent: 'comment_created',
      issue: { key },
      comment: {
        id: '9001',
        body: 'Restart the VPN client, then sign in again',
        jsdPublic: true,
        author: { displayName: 'Jane Agent', emailAddress: 'jane@corp.example' },
      },
    };
    const relayed = await webhook(comment);
    expect(relayed.statusCode).toBe(200);
    expect(relayed.json()).toEqual({ outcome: 'relayed' });
    await app.idle();
    expect(app.output()).toMatch(
      new RegExp(`\\[dm alice[^\\]]*\\].*💬 Jane Agent \\(IT\\) on #${first.number}: Restart the VPN client`),
    );
    expect(app.output()).toContain(`💬 Jane Agent replied in JSM (${key}): Restart the VPN client`);

    expect((await webhook(comment)).json()).toEqual({ outcome: 'duplicate' });
    const ours = jsm.requests.get(key)?.comments[0];
    const echo = { ...comment, comment: { ...comment.comment, id: ours?.id, body: ours?.body } };
    expect((await webhook(echo)).json()).toEqual({ outcome: 'echo' });
    const internal = { ...comment, comment: { ...comment.comment, id: '9002', jsdPublic: false } };
    expect((await webhook(internal)).json()).toEqual({ outcome: 'ignored' });

    const resolved = await webhook(
      {
        webhookEvent: 'jira:issue_updated',
        issue: { key, fields: { status: { name: 'Resolved' } } },
        changelog: { items: [{ field: 'status', fromString: 'Pending', toString: 'Resolved' }] },
      },
      { header: 's3cret' },
    );
    expect(resolved.json()).toEqual({ outcome: 'status_changed' });
    await app.idle();
    const ticket = await app.deps.db
      .selectFrom('tickets')
      .select('status')
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    expect(ticket.status).toBe('resolved');
    expect(app.output()).toContain(`✅ Ticket #${first.number} was resolved by IT.`);

    await waitFor(opsSettled);
    const ops = await app.deps.db
      .selectFrom('jsm_ops')
      .select('op')
      .where('ticket_id', '=', first.id)
      .execute();
    // Nothing JSM said or did came back as a call: create, bob's reply, the question, the transition.
    expect(ops.map((op) => op.op)).toEqual(['create', 'comment', 'comment', 'transition']);
    expect(jsm.requests.get(key)?.comments.length).toBe(commentsBefore);
  });

  it('a wrong or missing secret gets 401 and changes nothing', async () => {
    const events = async () => (await app.deps.db.selectFrom('ticket_events').select('id').execute()).length;
    const before = await events();
    const payload = {
      webhookEvent: 'comment_created',
      issue: { key },
      comment: { id: '9100', body: 'forged', jsdPublic: true, author: { displayName: 'Mallory' } },
    };
    expect((await webhook(payload, { query: 'wrong' })).statusCode).toBe(401);
    expect((await webhook(payload, { header: 'wrong' })).statusCode).toBe(401);
    expect((await webhook(payload, {})).statusCode).toBe(401);
    await app.idle();
    expect(await events()).toBe(before);
    expect(app.output()).not.toContain('forged');
  });
});

describe('a JSM outage', () => {
  it('is retried (503 with Retry-After) while the chat side answers at once', async () => {
    jsm.outage = 2;
    const callsBefore = jsm.calls.length;
    const second = await fileTicket('the shared printer prints blank pages');
    // Chat did not wait for JSM: the requester has the acknowledgement and agents the card.
    expect(app.output()).toContain(`Thanks, I've filed ticket #${second.number}`);
    await run(command('bob', `claim #${second.number}`));
    expect(app.output()).toContain(`bob claimed #${second.number}`);
    await waitFor(async () => (await keyOf(second.id)) !== undefined, 30_000, 'the request after the outage');
    const creates = jsm.calls.slice(callsBefore).filter((c) => c.path === '/rest/servicedeskapi/request');
    expect(creates.map((c) => c.status)).toEqual([503, 503, 201]);
    const op = await app.deps.db
      .selectFrom('jsm_ops')
      .select(['status', 'attempts'])
      .where('ticket_id', '=', second.id)
      .where('op', '=', 'create')
      .executeTakeFirstOrThrow();
    expect(op).toEqual({ status: 'done', attempts: 3 });
  });
});
