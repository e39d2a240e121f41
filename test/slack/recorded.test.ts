/**
 * The recorded-traffic suite: every payload under test/fixtures/recorded/slack/ mirrors, field for
 * field, one that others recorded from a real workspace (SOURCES.md names each). Each is sent as
 * Slack sends it (signed, to POST /slack/events, through the real Bolt receiver), processed by the
 * real workers against a fake Slack Web API, and checked for what a person would see.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueMessage } from '../../src/core/outbox/outbox.ts';
import { unitOfWork } from '../../src/core/unit-of-work.ts';
import { messageEvent, nextTs, slashCommand } from './builders.ts';
import type { RecordedCall } from './fake-slack.ts';
import { ids } from './fixtures/index.ts';
import { people, type SlackAppHarness, startSlackApp } from './support.ts';

const DIR = new URL('../fixtures/recorded/slack/', import.meta.url);
const TRIAGE = ids.triage;
const BOT_TOKEN = `<@${ids.bot}`;
/** Methods whose arguments carry text people read. */
const TEXT_METHODS = new Set([
  'chat.postMessage',
  'chat.postEphemeral',
  'chat.update',
  'views.publish',
  'views.open',
  'response_url',
]);

/** One reply a person would see: where, and what it says (`text` is a regular expression). */
interface ReplyExpectation {
  method: string;
  channel?: string;
  /** The thread it goes in; null: not in a thread. */
  thread_ts?: string | null;
  /** chat.postEphemeral: who sees it. */
  user?: string;
  text?: string;
  /** A regular expression the reply must NOT match. */
  notText?: string;
  /** Strings the rendered blocks (or view) must contain. */
  blocksContain?: string[];
}

interface TicketExpectation {
  title?: string;
  /** Regular expressions the title must not match. */
  titleNot?: string[];
  description?: string;
  requester?: string;
  assignee?: string;
  priority?: string;
  status?: string;
  attachments?: Array<{
    name: string;
    url?: string;
    content_type?: string | null;
    size_bytes?: number | null;
  }>;
  /** A timeline entry of this type whose body matches (a note, a reply). */
  timeline?: { type: string; body: string };
}

type Expectation = Outcome & {
  /** Afterwards, the installation row of this workspace has this status. */
  installation?: { tenant: string; status: 'active' | 'inactive' };
};

type Outcome =
  /** Acknowledged and never recorded, with no Web API call at all. */
  | { outcome: 'ignored'; response?: unknown }
  /** Recorded (only the database knows whether it continues a ticket), then no outbound call at all. */
  | { outcome: 'quiet' }
  | { outcome: 'challenge'; response: unknown }
  | { outcome: 'answered'; replies: ReplyExpectation[]; noOtherReplies?: boolean }
  | { outcome: 'refused'; replies: ReplyExpectation[]; noOtherReplies?: boolean }
  | { outcome: 'filed'; ticket: TicketExpectation; replies?: ReplyExpectation[]; card?: string[] }
  | { outcome: 'changed'; ticket: TicketExpectation; replies?: ReplyExpectation[] }
  | { outcome: 'role'; user: string; role: string; replies?: ReplyExpectation[] }
  | { outcome: 'uninstalled'; tenant: string; reason: string };

interface Given {
  /**
   * A ticket a new colleague files by DM before the payload arrives ($TICKET_ID, $TICKET_NUMBER,
   * $CARD_TS: the card in triage; $REQUESTER, $REQUESTER_DM).
   */
  ticket?: { text: string };
  /** A message Slack will return from conversations.history (a 🎫 reaction names only its ts). */
  message?: { channel: string; ts: string; text: string; user: string; files?: unknown[] };
  /** The app home was opened before (the first-time welcome is behind this person). */
  homeOpenedBy?: string;
}

interface RecordedFixture {
  source: string;
  note: string;
  kind: 'events' | 'interactivity' | 'command' | 'form';
  given?: Given;
  body: unknown;
  expect: Expectation;
}

const fixtures = readdirSync(DIR)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => ({ name, raw: readFileSync(new URL(name, DIR), 'utf8') }));

/** Colleagues who write to the bot in these fixtures besides the shared three (one ticket each). */
const colleagues = ['carol', 'erin', 'frank', 'grace'].map((name) => ({
  id: `U0${name.toUpperCase()}`,
  name,
  displayName: name[0]?.toUpperCase() + name.slice(1),
  email: `${name}@acme.test`,
}));
const directory: Array<{ id: string; email: string }> = [...Object.values(people), ...colleagues];

let h: SlackAppHarness;
const placeholders: Record<string, string> = {};
let requesters = 0;

function substitute(raw: string): string {
  return raw.replace(/\$([A-Z_]+)/g, (whole, key: string) => placeholders[key] ?? whole);
}

async function inboxCount(): Promise<number> {
  const row = await h.app.database.db
    .selectFrom('inbound_events')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const latestTicket = () =>
  h.app.database.db.selectFrom('tickets').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();

async function personEmail(id: number | null): Promise<string | undefined> {
  if (id === null) return undefined;
  const row = await h.app.database.db
    .selectFrom('people')
    .select('email')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.email ?? undefined;
}

function emailOf(userId: string): string {
  const person = directory.find((p) => p.id === userId);
  if (!person) throw new Error(`no test person ${userId}`);
  return person.email;
}

/** The words a reply shows: its fallback text, blocks and view, as one string. */
function shown(call: RecordedCall): string {
  const { args } = call;
  return [args.text ?? '', JSON.stringify(args.blocks ?? ''), JSON.stringify(args.view ?? '')].join('\n');
}

function matchesReply(call: RecordedCall, want: ReplyExpectation): boolean {
  if (call.method !== want.method) return false;
  if (want.channel !== undefined && call.args.channel !== want.channel) return false;
  if (want.user !== undefined && call.args.user !== want.user && call.args.user_id !== want.user)
    return false;
  if (want.thread_ts !== undefined && (call.args.thread_ts ?? null) !== want.thread_ts) return false;
  if (want.text !== undefined && !new RegExp(want.text, 'i').test(shown(call))) return false;
  if (want.notText !== undefined && new RegExp(want.notText, 'i').test(shown(call))) return false;
  for (const needle of want.blocksContain ?? []) if (!shown(call).includes(needle)) return false;
  return true;
}

function expectReplies(calls: RecordedCall[], wanted: ReplyExpectation[]): void {
  for (const want of wanted) {
    const resolved = JSON.parse(substitute(JSON.stringify(want))) as ReplyExpectation;
    const found = calls.find((call) => matchesReply(call, resolved));
    expect(
      found,
      `expected a reply ${JSON.stringify(resolved)}; got ${JSON.stringify(
        calls.map((c) => ({
          method: c.method,
          channel: c.args.channel,
          thread_ts: c.args.thread_ts,
          text: c.args.text,
        })),
      )}`,
    ).toBeDefined();
  }
}

async function expectTicket(
  ticket: Awaited<ReturnType<typeof latestTicket>>,
  expected: TicketExpectation,
): Promise<void> {
  const want = JSON.parse(substitute(JSON.stringify(expected))) as TicketExpectation;
  expect(ticket, 'a ticket').toBeDefined();
  if (!ticket) return;
  if (want.title !== undefined) expect(ticket.title).toMatch(new RegExp(want.title, 'i'));
  for (const not of want.titleNot ?? []) expect(ticket.title).not.toMatch(new RegExp(not));
  if (want.description !== undefined) expect(ticket.description).toMatch(new RegExp(want.description, 'i'));
  if (want.requester !== undefined)
    expect(await personEmail(ticket.requester_id)).toBe(emailOf(want.requester));
  if (want.assignee !== undefined) expect(await personEmail(ticket.assignee_id)).toBe(emailOf(want.assignee));
  if (want.priority !== undefined) expect(ticket.priority).toBe(want.priority);
  if (want.status !== undefined) expect(ticket.status).toBe(want.status);
  if (want.attachments !== undefined) {
    const rows = await h.app.database.db
      .selectFrom('ticket_attachments')
      .select(['name', 'url', 'content_type', 'size_bytes'])
      .where('ticket_id', '=', ticket.id)
      .orderBy('id')
      .execute();
    expect(rows).toEqual(want.attachments.map((a) => expect.objectContaining(a)));
  }
  if (want.timeline !== undefined) {
    const entries = await h.app.database.db
      .selectFrom('ticket_events')
      .select(['type', 'body'])
      .where('ticket_id', '=', ticket.id)
      .execute();
    const { type, body } = want.timeline;
    expect(entries).toContainEqual(expect.objectContaining({ type, body: expect.stringMatching(body) }));
  }
}

/** Files a ticket the way a person does (a DM to the bot), and notes its ids and card for the payload. */
async function givenTicket(text: string): Promise<void> {
  requesters += 1;
  const requester = {
    id: `U0REQ${requesters}`,
    name: `req${requesters}`,
    email: `req${requesters}@acme.test`,
  };
  h.slack.addUser(requester);
  directory.push(requester);
  const before = await latestTicket();
  const callsBefore = h.slack.calls.length;
  await h.post({ json: messageEvent({ user: requester.id, channel: `D${requester.id.slice(1)}`, text }) });
  await h.idle();
  const ticket = await latestTicket();
  if (!ticket || ticket.id === before?.id) throw new Error(`given: "${text}" filed no ticket`);
  const card = h.slack.calls
    .slice(callsBefore)
    .find((c) => c.method === 'chat.postMessage' && c.args.channel === TRIAGE && !c.args.thread_ts);
  placeholders.REQUESTER = requester.id;
  placeholders.REQUESTER_DM = `D${requester.id.slice(1)}`;
  placeholders.TICKET_ID = String(ticket.id);
  placeholders.TICKET_NUMBER = String(ticket.number);
  placeholders.CARD_TS = String(card?.response?.ts ?? '');
}

async function applyGiven(given: Given | undefined): Promise<void> {
  placeholders.TS = nextTs();
  placeholders.RESPONSE_URL = h.slack.responseUrl(`recorded-${placeholders.TS}`);
  placeholders.TRIGGER = `trig-${placeholders.TS}`;
  if (!given) return;
  if (given.ticket) await givenTicket(given.ticket.text);
  if (given.message) h.slack.addMessage(given.message.channel, given.message);
  if (given.homeOpenedBy) {
    await h.app.accept({
      kind: 'command',
      platform: 'slack',
      eventId: `home-before-${placeholders.TS}`,
      sender: { platform: 'slack', tenant: ids.team, userId: given.homeOpenedBy },
      conversation: {
        platform: 'slack',
        tenant: ids.team,
        channel: `D${given.homeOpenedBy.slice(1)}`,
        isDirect: true,
      },
      text: 'home',
    });
    await h.idle();
  }
}

async function send(fixture: RecordedFixture): Promise<Response> {
  const body = JSON.parse(substitute(JSON.stringify(fixture.body)));
  switch (fixture.kind) {
    case 'events':
      return h.post({ json: body });
    case 'interactivity':
      return h.post({ interactive: body });
    case 'command':
      return h.post({ form: new URLSearchParams(body as Record<string, string>).toString() });
    case 'form':
      return h.post({ form: body as string });
  }
}

/** Later work for an uninstalled workspace: a message core wants to send there. */
async function deliverLater(tenant: string): Promise<number> {
  const id = await unitOfWork(h.app.deps, (tx) =>
    queueMessage(tx, {
      key: `after-uninstall-${tenant}-${nextTs()}`,
      op: 'post',
      target: { platform: 'slack', tenant, channel: 'C0LATER' },
      message: { text: 'Ticket #1 was resolved' },
    }),
  );
  if (id === undefined) throw new Error('no outbox row');
  await h.idle();
  return id;
}

beforeAll(async () => {
  h = await startSlackApp();
  for (const colleague of colleagues) h.slack.addUser(colleague);
  // The triage channel, as an admin sets it up on day one.
  const setup = slashCommand({
    user: people.dana.id,
    channel: TRIAGE,
    text: 'config triage-channel here',
    responseUrl: h.slack.responseUrl('setup'),
  });
  await h.post({ form: setup.form });
  await h.idle();
  // auth.test has answered: the bot knows its own user id, as in production after start-up.
  await h.slack.waitFor((call) => call.method === 'auth.test');
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('Slack, as real workspaces send it', () => {
  it('has at least 45 recorded fixtures, each naming its source', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(45);
    const sources = readFileSync(new URL('SOURCES.md', DIR), 'utf8');
    for (const { name, raw } of fixtures) {
      const fixture = JSON.parse(raw) as RecordedFixture;
      expect(fixture.source, name).toMatch(/^(\S+\/\S+@[0-9a-f]{40}:\S+|https:\/\/\S+)$/);
      expect(sources, `SOURCES.md lists ${name}`).toContain(name);
    }
  });

  for (const { name, raw } of fixtures) {
    const fixture = JSON.parse(raw) as RecordedFixture;
    it(`${name}: ${fixture.note}`, async () => {
      await applyGiven(fixture.given);
      const callsBefore = h.slack.calls.length;
      const inboxBefore = await inboxCount();
      const ticketBefore = await latestTicket();

      const response = await send(fixture);
      const text = await response.text();
      expect(response.status).toBe(200);
      await h.idle();
      const calls = h.slack.calls.slice(callsBefore);
      const want = fixture.expect;

      // Whatever else happens, the bot never shows its own raw mention token to anyone.
      for (const call of calls) {
        if (TEXT_METHODS.has(call.method)) expect(JSON.stringify(call.args)).not.toContain(BOT_TOKEN);
      }

      if (want.installation) {
        const { rows } = await sql<{ status: string }>`
          select status from installations
          where platform = 'slack' and tenant = ${want.installation.tenant} and channel = ''`.execute(
          h.app.database.db,
        );
        expect(rows.map((row) => row.status)).toEqual([want.installation.status]);
      }

      switch (want.outcome) {
        case 'ignored':
        case 'challenge':
          expect(await inboxCount(), 'nothing recorded').toBe(inboxBefore);
          expect(
            calls.map((c) => c.method),
            'no Web API call',
          ).toEqual([]);
          if (want.response !== undefined) expect(text ? JSON.parse(text) : '').toEqual(want.response);
          return;
        case 'quiet':
          expect(await inboxCount(), 'recorded for core to decide').toBe(inboxBefore + 1);
          expect(
            calls.map((c) => c.method),
            'no Web API call, not even users.info',
          ).toEqual([]);
          expect((await latestTicket())?.id).toBe(ticketBefore?.id);
          return;
        case 'answered':
        case 'refused':
          expectReplies(calls, want.replies);
          // Nothing else was said to anyone (no second welcome, no stray chat.postEphemeral).
          if (want.noOtherReplies) {
            const others = calls.filter(
              (call) =>
                TEXT_METHODS.has(call.method) &&
                !want.replies.some((reply) =>
                  matchesReply(call, JSON.parse(substitute(JSON.stringify(reply)))),
                ),
            );
            expect(others.map((c) => `${c.method} ${c.args.channel ?? ''} ${c.args.text ?? ''}`)).toEqual([]);
          }
          expect((await latestTicket())?.id, 'no ticket filed').toBe(ticketBefore?.id);
          return;
        case 'filed': {
          const ticket = await latestTicket();
          expect(ticket?.id, 'a new ticket').not.toBe(ticketBefore?.id);
          placeholders.TICKET_NUMBER = String(ticket?.number);
          await expectTicket(ticket, want.ticket);
          if (want.replies) expectReplies(calls, want.replies);
          if (want.card) {
            const card = calls.find(
              (c) => c.method === 'chat.postMessage' && c.args.channel === TRIAGE && !c.args.thread_ts,
            );
            expect(card, 'the ticket card in triage').toBeDefined();
            for (const needle of want.card) expect(shown(card as RecordedCall)).toContain(needle);
          }
          return;
        }
        case 'changed': {
          const ticket = await h.app.database.db
            .selectFrom('tickets')
            .selectAll()
            .where('id', '=', Number(placeholders.TICKET_ID))
            .executeTakeFirst();
          await expectTicket(ticket, want.ticket);
          if (want.replies) expectReplies(calls, want.replies);
          return;
        }
        case 'role': {
          const row = await h.app.database.db
            .selectFrom('roles')
            .innerJoin('people', 'people.id', 'roles.person_id')
            .select('roles.role')
            .where('people.email', '=', emailOf(want.user))
            .executeTakeFirst();
          expect(row?.role).toBe(want.role);
          if (want.replies) expectReplies(calls, want.replies);
          return;
        }
        case 'uninstalled': {
          expect(
            calls.map((c) => c.method),
            'no Web API call',
          ).toEqual([]);
          const { rows } = await sql<{ status: string; reason: string | null }>`
            select status, reason from installations
            where platform = 'slack' and tenant = ${want.tenant} and channel = ''`.execute(h.app.database.db);
          expect(rows).toEqual([expect.objectContaining({ status: 'inactive', reason: want.reason })]);
          const later = await deliverLater(want.tenant);
          const outbox = await h.app.database.db
            .selectFrom('outbox')
            .select(['status'])
            .where('id', '=', later)
            .executeTakeFirstOrThrow();
          expect(outbox.status).toBe('undeliverable');
          expect(h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0LATER')).toEqual([]);
          return;
        }
      }
    });
  }

  it('after all of them: no outbound text and no stored ticket ever holds the bot’s raw mention', async () => {
    const leaked = h.slack.calls.filter(
      (call) => TEXT_METHODS.has(call.method) && JSON.stringify(call.args).includes(BOT_TOKEN),
    );
    expect(leaked.map((call) => call.method)).toEqual([]);
    const tickets = await h.app.database.db.selectFrom('tickets').select(['title', 'description']).execute();
    expect(tickets.length).toBeGreaterThan(10);
    for (const ticket of tickets) expect(`${ticket.title}\n${ticket.description}`).not.toContain(BOT_TOKEN);
  });
});
