/**
 * Replays activities shaped field for field like ones recorded from real Teams tenants by others
 * (test/fixtures/recorded/teams, each naming its source in SOURCES.md) through the real path: a
 * signed Bot Framework request to /api/messages, the whole app, and the fake Bot Connector. Each
 * fixture says what a user would see (`expect`); the fixtures run in order, as one tenant's day.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationRef } from '../../src/core/chat/chat.ts';
import { deliverOutbox } from '../../src/core/outbox/deliver.ts';
import { queueMessage } from '../../src/core/outbox/outbox.ts';
import { unitOfWork } from '../../src/core/unit-of-work.ts';
import type { ConnectorCall } from './fake-connector.ts';
import { BOT_ID, startTeamsTestApp, type TeamsTestApp } from './harness.ts';

interface Expect {
  kind: 'installed' | 'command' | 'filed' | 'answered' | 'relayed' | 'ignored' | 'invoke' | 'uninstalled';
  /** Whether the activity is in the inbox: cheap ignores are answered without writing anything. */
  recorded: boolean;
  /** Exactly this many Bot Connector calls (0: not even a member look-up). */
  connectorCalls?: number;
  memberLookups?: number;
  invokeResponse?: Record<string, unknown>;
  invokeTextMatches?: string;
  cardFacts?: Record<string, string>;
  noOneOnOne?: boolean;
  claimedAnswer?: boolean;
  reply?: { in?: string; to?: '1:1'; user?: string; matches?: string; notMatches?: string };
  noTicket?: boolean;
  ticket?: {
    descriptionMatches?: string;
    titleNotMatches?: string;
    files?: string[];
    fileCount?: number;
    cardLinks?: string[];
    requesterAad?: string;
  };
  role?: { aadObjectId: string; role: string };
  samePerson?: { aadObjectId: string; role: string; email: string };
  /** No identity is keyed on this id (a `29:` id is an alias, never a person of its own). */
  noIdentity?: string;
  assignee?: { ticket: number; aadObjectId: string };
  setting?: { key: string; matches: Record<string, unknown> };
  welcome?: { in: string; count: number };
  installation?: { channel: string; status: string; reasonMatches?: string };
  installationActive?: string;
  laterDelivery?: { to: string; status: string };
}

interface Fixture {
  source: string;
  note: string;
  activity: Record<string, any>;
  expect: Expect;
}

interface Roster {
  members: Array<{ id: string; name: string; aadObjectId: string; email: string }>;
  admins: string[];
  triage: string;
  tenant: string;
}

const DIR = new URL('../fixtures/recorded/teams/', import.meta.url);
const FILES = readdirSync(DIR)
  .filter((name) => /^\d\d-[a-z0-9-]+\.json$/.test(name))
  .sort();
const read = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, DIR), 'utf8')) as T;
const roster = read<Roster>('roster.json');
const WELCOME = /Hi! I'm the IT helpdesk/;
/** The bot's own mention in any outbound text or card: its `<at>` tag under any name it was given, or a raw token. */
const OWN_MENTION = /<@28:|<@teams:28:|<at>(Helpdesk|IT Helpdesk)<\/at>/;

let teams: TeamsTestApp;

beforeAll(async () => {
  teams = await startTeamsTestApp({ env: { HELPDESK_ADMINS: roster.admins.join(',') } });
  // The tenant's roster, as the Bot Connector answers for every conversation the fixtures use.
  const conversations = new Set<string>();
  for (const name of FILES) {
    const id = read<Fixture>(name).activity.conversation?.id as string | undefined;
    if (id) conversations.add(id.split(';messageid=')[0] ?? id);
  }
  for (const conversation of conversations)
    for (const member of roster.members) teams.connector.addMember(conversation, member);
}, 60_000);

afterAll(async () => {
  await teams?.close();
});

describe('recorded Teams traffic, replayed', () => {
  it('has at least 45 fixtures, each naming the recorded payload it mirrors in SOURCES.md', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(45);
    const sources = readFileSync(new URL('SOURCES.md', DIR), 'utf8');
    for (const name of FILES) {
      const fixture = read<Fixture>(name);
      expect(fixture.source, name).toMatch(/\S/);
      expect(sources, name).toContain(name);
    }
  });

  for (const name of FILES) {
    const fixture = read<Fixture>(name);
    it(`${name}: ${fixture.note}`, async () => {
      await replay(fixture);
    });
  }

  it('never sends the bot its own mention, in any text, card or mention entity', () => {
    const offending = teams.connector.calls.filter(
      (call) => OWN_MENTION.test(JSON.stringify(call.body ?? '')) || mentionedIds(call.body).includes(BOT_ID),
    );
    expect(offending.map((call) => JSON.stringify(call.body))).toEqual([]);
    expect(teams.connector.posted().length).toBeGreaterThan(10);
  });
});

async function replay(fixture: Fixture): Promise<void> {
  const want = fixture.expect;
  const activity = await resolvePlaceholders(fixture.activity);
  if (activity.serviceUrl) activity.serviceUrl = teams.connector.serviceUrl;
  const ticketsBefore = await ticketIds();
  const lastInbound = await lastInboundId();
  const before = teams.connector.calls.length;

  const started = Date.now();
  const response = await teams.send(activity);
  expect(response.status).toBe(200);
  if (activity.type === 'invoke') expect(Date.now() - started).toBeLessThan(5000);
  await teams.app.idle();
  const calls = teams.connector.calls.slice(before);

  // An edit carries the id of the message it edits: only rows written by this replay count.
  const inbound = await db()
    .selectFrom('inbound_events')
    .select(['id'])
    .where('id', '>', lastInbound)
    .executeTakeFirst();
  expect(inbound !== undefined, 'recorded in the inbox').toBe(want.recorded);

  if (want.connectorCalls !== undefined) expect(calls.map(describeCall)).toHaveLength(want.connectorCalls);
  if (want.memberLookups !== undefined)
    expect(calls.filter((call) => call.op === 'get-member')).toHaveLength(want.memberLookups);
  if (want.invokeResponse) {
    if (Object.keys(want.invokeResponse).length === 0) expect(response.body).toEqual({});
    else expect(response.body).toMatchObject(want.invokeResponse);
  }
  if (want.invokeTextMatches) {
    // A card action's message answer carries it in `value`, a dialog's in `task.value`.
    const said = response.body?.task?.value ?? response.body?.value;
    expect(String(said)).toMatch(new RegExp(want.invokeTextMatches));
  }
  if (want.cardFacts) expect(factsOf(response.body?.value)).toMatchObject(want.cardFacts);
  if (want.noOneOnOne) expect(calls.filter((call) => call.op === 'create-conversation')).toEqual([]);
  if (want.claimedAnswer) {
    const row = await db()
      .selectFrom('outbox')
      .select(['status', 'platform_message_id'])
      .where('idempotency_key', '=', `result-${inbound?.id}`)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'sent', platform_message_id: 'invoke-response' });
  }
  if (want.reply) checkReply(want.reply, calls);

  const newTickets = (await ticketIds()).filter((id) => !ticketsBefore.includes(id));
  if (want.noTicket) expect(newTickets).toEqual([]);
  if (want.ticket) {
    expect(newTickets).toHaveLength(1);
    await checkTicket(newTickets[0]!, want.ticket, calls);
  }
  if (want.role) expect(await roleOf(want.role.aadObjectId)).toBe(want.role.role);
  if (want.samePerson) await checkSamePerson(want.samePerson);
  if (want.noIdentity) expect(await personOf(want.noIdentity)).toBeUndefined();
  if (want.assignee) {
    const ticket = await nthTicket(want.assignee.ticket);
    expect(ticket.assignee_id).not.toBeNull();
    expect(await personOf(want.assignee.aadObjectId)).toBe(ticket.assignee_id);
  }
  if (want.setting) {
    const setting = await db()
      .selectFrom('settings')
      .select('value')
      .where('key', '=', want.setting.key)
      .executeTakeFirst();
    expect(setting?.value).toMatchObject(want.setting.matches);
  }
  if (want.welcome) {
    const welcomes = teams.connector
      .posted()
      .filter((call) => call.conversationId === want.welcome!.in && WELCOME.test(call.body?.text ?? ''));
    expect(welcomes).toHaveLength(want.welcome.count);
  }
  if (want.installation) {
    const row = await installation(want.installation.channel);
    expect(row?.status).toBe(want.installation.status);
    if (want.installation.reasonMatches)
      expect(row?.reason ?? '').toMatch(new RegExp(want.installation.reasonMatches));
  }
  if (want.installationActive)
    expect((await installation(want.installationActive))?.status ?? 'active').toBe('active');
  if (want.laterDelivery) await checkLaterDelivery(want.laterDelivery);
}

/** `{{card:N}}`, `{{ticketValue:N}}`, `{{ticket:N}}`: the card message id, claim value and number of the Nth ticket filed. */
async function resolvePlaceholders(activity: Record<string, any>): Promise<Record<string, any>> {
  let text = JSON.stringify(activity);
  for (const match of [...text.matchAll(/\{\{(card|ticketValue|ticket):(\d+)\}\}/g)]) {
    const [token, what, n] = match;
    const ticket = await nthTicket(Number(n));
    const card = await db()
      .selectFrom('outbox')
      .select(['platform_message_id', 'body'])
      .where('purpose', '=', 'ticket-card')
      .where('ticket_id', '=', ticket.id)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const claim = (card.body as any).message.card.actions.find((a: any) => a.actionId === 'ticket.claim');
    const value =
      what === 'card' ? card.platform_message_id : what === 'ticket' ? String(ticket.number) : claim?.value;
    expect(value, token).toBeTruthy();
    text = text.split(token!).join(String(value));
  }
  return JSON.parse(text);
}

function checkReply(reply: NonNullable<Expect['reply']>, calls: ConnectorCall[]): void {
  const posted = calls.filter((call) => call.op === 'send' || call.op === 'reply');
  let candidates: ConnectorCall[];
  if (reply.to === '1:1') {
    const created = calls.filter((call) => call.op === 'create-conversation');
    expect(created.map((call) => call.body?.members?.[0]?.id)).toContain(reply.user);
    candidates = posted.filter((call) => call.conversationId.startsWith('a:fake-1on1-'));
  } else {
    candidates = posted.filter((call) => call.conversationId === reply.in);
  }
  expect(candidates.map(describeCall).join('\n'), 'a reply where the user looks').not.toBe('');
  const texts = candidates.map((call) => call.body?.text || JSON.stringify(call.body?.attachments ?? ''));
  if (reply.matches)
    expect(
      texts.some((text) => new RegExp(reply.matches!, 'm').test(text)),
      texts.join('\n'),
    ).toBe(true);
  if (reply.notMatches) for (const text of texts) expect(text).not.toMatch(new RegExp(reply.notMatches));
}

async function checkTicket(ticketId: number, want: NonNullable<Expect['ticket']>, calls: ConnectorCall[]) {
  const ticket = await db()
    .selectFrom('tickets')
    .select(['title', 'description', 'requester_id'])
    .where('id', '=', ticketId)
    .executeTakeFirstOrThrow();
  if (want.descriptionMatches) expect(ticket.description).toMatch(new RegExp(want.descriptionMatches));
  if (want.titleNotMatches) expect(ticket.title).not.toMatch(new RegExp(want.titleNotMatches));
  const files = await db()
    .selectFrom('ticket_attachments')
    .select(['name', 'url'])
    .where('ticket_id', '=', ticketId)
    .execute();
  if (want.files) expect(files.map((file) => file.name).sort()).toEqual([...want.files].sort());
  if (want.fileCount !== undefined) expect(files).toHaveLength(want.fileCount);
  if (want.requesterAad) expect(await personOf(want.requesterAad)).toBe(ticket.requester_id);
  // The ticket card, as posted to the triage channel: words without the bot, files as links.
  const card = calls.find(
    (call) =>
      call.conversationId === roster.triage && call.body?.attachments?.[0]?.content?.type === 'AdaptiveCard',
  );
  expect(card, 'the ticket card in the triage channel').toBeDefined();
  const shown = JSON.stringify(card?.body);
  for (const link of want.cardLinks ?? []) expect(shown).toContain(`](${link})`);
  for (const name of want.files ?? []) expect(shown).toContain(name);
  if (want.titleNotMatches)
    expect(card?.body.attachments[0].content.body[0]).not.toMatchObject({
      text: expect.stringMatching(new RegExp(want.titleNotMatches)),
    });
}

async function checkSamePerson(want: NonNullable<Expect['samePerson']>) {
  const people = await db().selectFrom('people').select(['id']).where('email', '=', want.email).execute();
  expect(people).toHaveLength(1);
  expect(await personOf(want.aadObjectId)).toBe(people[0]?.id);
  expect(await roleOf(want.aadObjectId)).toBe(want.role);
}

/** A message queued for a conversation the bot was removed from is kept, not sent and not retried. */
async function checkLaterDelivery(want: NonNullable<Expect['laterDelivery']>) {
  const conversation = await db()
    .selectFrom('conversations')
    .select(['ref'])
    .where('platform', '=', 'teams')
    .where('channel', '=', want.to)
    .orderBy('id')
    .executeTakeFirst();
  const target: ConversationRef = conversation?.ref ?? {
    platform: 'teams',
    tenant: roster.tenant,
    channel: want.to,
  };
  const key = `recorded-later-${want.to}`;
  const id = await unitOfWork(teams.app.deps, (tx) =>
    queueMessage(tx, {
      key,
      op: 'post',
      target: { ...target, thread: undefined },
      message: { text: 'Ticket update' },
    }),
  );
  const before = teams.connector.calls.length;
  await deliverOutbox(teams.app.deps, id!).catch(() => undefined);
  await teams.app.idle();
  const row = await db()
    .selectFrom('outbox')
    .select(['status'])
    .where('id', '=', id!)
    .executeTakeFirstOrThrow();
  expect(row.status).toBe(want.status);
  expect(
    teams.connector.calls.slice(before).filter((call) => call.conversationId.startsWith(want.to)),
  ).toEqual([]);
}

const db = () => teams.app.database.db;

async function lastInboundId(): Promise<number> {
  const row = await db().selectFrom('inbound_events').select('id').orderBy('id', 'desc').executeTakeFirst();
  return row?.id ?? 0;
}

/** Every mention entity in a sent activity or its cards, however deep. */
function mentionedIds(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) mentionedIds(item, found);
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const mentioned = record.mentioned as { id?: unknown } | undefined;
    if (record.type === 'mention' && typeof mentioned?.id === 'string') found.push(mentioned.id);
    for (const item of Object.values(record)) mentionedIds(item, found);
  }
  return found;
}

async function ticketIds(): Promise<number[]> {
  return (await db().selectFrom('tickets').select('id').orderBy('id').execute()).map((row) => row.id);
}

async function nthTicket(n: number) {
  const rows = await db()
    .selectFrom('tickets')
    .select(['id', 'number', 'assignee_id'])
    .orderBy('id')
    .execute();
  const ticket = rows[n - 1];
  if (!ticket) throw new Error(`there is no ticket number ${n} yet`);
  return ticket;
}

async function personOf(aadObjectId: string): Promise<number | undefined> {
  const row = await db()
    .selectFrom('identities')
    .select('person_id')
    .where('platform', '=', 'teams')
    .where('user_id', '=', aadObjectId)
    .executeTakeFirst();
  return row?.person_id;
}

async function roleOf(aadObjectId: string): Promise<string | undefined> {
  const person = await personOf(aadObjectId);
  if (person === undefined) return undefined;
  const row = await db()
    .selectFrom('roles')
    .select('role')
    .where('person_id', '=', person)
    .executeTakeFirst();
  return row?.role ?? 'requester';
}

async function installation(channel: string) {
  return db()
    .selectFrom('installations')
    .select(['status', 'reason'])
    .where('platform', '=', 'teams')
    .where('channel', '=', channel)
    .executeTakeFirst();
}

function factsOf(card: any): Record<string, string> {
  const facts = (card?.body ?? []).find((element: any) => element.type === 'FactSet')?.facts ?? [];
  return Object.fromEntries(facts.map((fact: any) => [fact.title, fact.value]));
}

function describeCall(call: ConnectorCall): string {
  return `${call.method} ${call.op} ${call.conversationId} ${JSON.stringify(call.body ?? '').slice(0, 160)}`;
}
