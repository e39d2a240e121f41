/**
 * The agents' side of a ticket card, through the real Bolt app: signed clicks on the buttons and
 * selects the bot rendered, the fake Slack Web API, and the whole helpdesk on Postgres and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileEverythingRouter } from '../../src/core/routing/router.ts';
import { clickOn, messageEvent, nextTs, slashCommand, submitView } from './builders.ts';
import type { RecordedCall } from './fake-slack.ts';
import { people, type SlackAppHarness, startSlackApp } from './support.ts';

const TRIAGE = 'C0TRIAGE';
const ALICE_DM = 'D0ALICE';
/** In the workspace directory (users.info) but has never written to the bot. */
const NORA = { id: 'U0NORA', name: 'nora', displayName: 'Nora', email: 'nora@acme.test' };
const CARL = { id: 'U0CARL', name: 'carl', displayName: 'Carl', email: 'carl@acme.test' };

let h: SlackAppHarness;
let card: RecordedCall;
let cardTs: string;
let ticketNumber: number;

const db = () => h.app.database.db;
const posts = (channel: string) =>
  h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && c.response);
const latestCard = () =>
  (h.slack
    .callsTo('chat.update')
    .filter((c) => c.args.ts === cardTs)
    .at(-1) ?? card) as RecordedCall;
const fieldsOf = (call: RecordedCall): string =>
  (call.args.blocks ?? [])
    .flatMap((b: { fields?: Array<{ text: string }> }) => b.fields ?? [])
    .map((f: { text: string }) => f.text)
    .join('\n');
const threadPosts = () => posts(TRIAGE).filter((c) => c.args.thread_ts === cardTs);
/** A click on the current card; returns the text the clicker was answered with, if any. */
async function click(
  actionId: string,
  input: { user: string; selectedUser?: string; choose?: string },
): Promise<string | undefined> {
  const name = `click-${nextTs()}`;
  const before = h.slack.callsTo('response_url').length;
  const payload = clickOn(latestCard(), actionId, {
    ...input,
    messageTs: cardTs,
    responseUrl: h.slack.responseUrl(name),
  });
  expect((await h.post({ interactive: payload })).status).toBe(200);
  await h.idle();
  return h.slack.callsTo('response_url').slice(before).at(-1)?.args.text;
}

async function command(user: string, text: string, channel = TRIAGE): Promise<string | undefined> {
  const before = h.slack.callsTo('response_url').length;
  const request = slashCommand({ user, channel, text, responseUrl: h.slack.responseUrl(`cmd-${nextTs()}`) });
  expect((await h.post({ form: request.form })).status).toBe(200);
  await h.idle();
  return h.slack.callsTo('response_url').slice(before).at(-1)?.args.text;
}

const ticket = () =>
  db().selectFrom('tickets').selectAll().where('number', '=', ticketNumber).executeTakeFirstOrThrow();
const personByEmail = (email: string) =>
  db()
    .selectFrom('people')
    .leftJoin('roles', 'roles.person_id', 'people.id')
    .select(['people.id', 'people.display_name', 'roles.role'])
    .where('people.email', '=', email)
    .execute();

beforeAll(async () => {
  // Filing is not under test here: every request becomes a ticket, whatever triage would make of it.
  h = await startSlackApp({ router: fileEverythingRouter });
  h.slack.addUser(NORA);
  h.slack.addUser(CARL);
  await command(people.dana.id, 'config triage-channel here');
  await h.post({
    json: messageEvent({
      user: people.alice.id,
      channel: ALICE_DM,
      text: 'The office Wi-Fi drops every hour',
    }),
  });
  await h.idle();
  card = posts(TRIAGE).find((c) => !c.args.thread_ts) as RecordedCall;
  cardTs = card.response?.ts;
  ticketNumber = (await db().selectFrom('tickets').select('number').executeTakeFirstOrThrow()).number;
});
afterAll(async () => {
  await h?.close();
});

describe('Slack card: Assign', () => {
  it('refuses, and says why, when the person picked in the users select is not an agent', async () => {
    // Nora has never written to the bot: the pick is looked up with users.info before anything else.
    const answer = await click('ticket.assign', { user: people.dana.id, selectedUser: NORA.id });
    expect(h.slack.callsTo('users.info').some((c) => c.args.user === NORA.id)).toBe(true);
    expect(answer).toContain('Nora is not an agent');
    expect(answer).toContain(`role <@${NORA.id}> agent`);
    expect((await ticket()).assignee_id).toBeNull();
    // The directory's answer made her a person (a requester), known by her e-mail.
    expect(await personByEmail(NORA.email)).toEqual([expect.objectContaining({ role: null })]);
  });

  it('assigns to a newly made agent from the users select: the card shows her, and the thread tells her', async () => {
    expect(await command(people.dana.id, `role <@${NORA.id}|${NORA.name}> agent`)).toBe(
      'Nora is now an agent.',
    );
    const answer = await click('ticket.assign', { user: people.dana.id, selectedUser: NORA.id });
    expect(answer).toBeUndefined();
    expect(fieldsOf(latestCard())).toContain('*Assignee*\nNora');
    const told = threadPosts().find((c) => String(c.args.text).includes('assigned'));
    // A Slack mention is what notifies her.
    expect(told?.args.text).toBe(`👉 Dana (IT) assigned #${ticketNumber} to <@${NORA.id}>.`);
    expect(await personByEmail(NORA.email)).toHaveLength(1);
  });

  it('assigns with `/helpdesk assign #N @who` to someone who never wrote to the bot, once an admin made them an agent', async () => {
    expect(await command(people.dana.id, `role <@${people.bob.id}|bob> agent`)).toBe(
      'Bob (IT) is now an agent.',
    );
    const answer = await command(people.dana.id, `assign #${ticketNumber} <@${people.bob.id}|bob>`);
    expect(answer).toBe(`#${ticketNumber} is now with Bob (IT).`);
    expect(fieldsOf(latestCard())).toContain('*Assignee*\nBob (IT)');
    expect(threadPosts().at(-1)?.args.text).toContain(`to <@${people.bob.id}>`);
  });

  it('explains when the pick is not in the directory at all', async () => {
    const answer = await command(people.dana.id, `assign #${ticketNumber} <@U0GHOST|ghost>`);
    expect(answer).toMatch(/couldn't look <@U0GHOST\|ghost> up/);
    expect((await ticket()).assignee_id).not.toBeNull();
  });
});

describe('Slack card: Priority', () => {
  it('changes the priority from the select and updates the card in place', async () => {
    expect((await ticket()).priority).not.toBe('P1');
    const answer = await click('ticket.priority', { user: people.dana.id, choose: 'P1' });
    expect(answer).toBeUndefined();
    const updated = latestCard();
    expect(updated.args.channel).toBe(TRIAGE);
    expect(fieldsOf(updated)).toContain('*Priority*\nP1');
    expect(JSON.stringify(updated.args.blocks?.[0])).toContain(`#${ticketNumber}`);
    expect((await ticket()).priority).toBe('P1');
  });
});

describe('Slack card: Internal note', () => {
  it('opens a modal, and the submitted note stays with the agents', async () => {
    const toAlice = posts(ALICE_DM).length;
    const payload = clickOn(latestCard(), 'ticket.note', {
      user: people.dana.id,
      messageTs: cardTs,
      responseUrl: h.slack.responseUrl('note'),
    });
    await h.post({ interactive: payload });
    await h.idle();
    const opened = h.slack.callsTo('views.open').find((c) => c.args.trigger_id === payload.trigger_id);
    expect(opened?.args.view.callback_id).toBe('ticket.note.submit');

    const submitted = await h.post({
      interactive: submitView(people.dana.id, opened?.args.view, { note: 'AP firmware 2.1 is the suspect' }),
    });
    expect(submitted.status).toBe(200);
    await h.idle();
    expect(threadPosts().some((c) => String(c.args.text).includes('AP firmware 2.1 is the suspect'))).toBe(
      true,
    );
    expect(posts(ALICE_DM)).toHaveLength(toAlice);
    const note = await db()
      .selectFrom('ticket_events')
      .select(['visibility', 'body'])
      .where('type', '=', 'note')
      .executeTakeFirstOrThrow();
    expect(note).toEqual({ visibility: 'internal', body: 'AP firmware 2.1 is the suspect' });
  });
});

describe('Slack card: Reopen and Close', () => {
  const lastToAlice = () => String(posts(ALICE_DM).at(-1)?.args.text);

  it('reopens a resolved ticket from its card and tells the requester', async () => {
    await command(people.dana.id, `resolve #${ticketNumber} Rolled the access points back to 2.0`);
    expect(fieldsOf(latestCard())).toContain('Resolved');
    const answer = await click('ticket.reopen', { user: people.dana.id });
    expect(answer).toBeUndefined();
    expect(fieldsOf(latestCard())).toContain('*Status*\n🔧 Open');
    expect(lastToAlice()).toBe(`🔁 Ticket #${ticketNumber} is open again.`);
  });

  it('refuses a Close from someone who is neither the requester nor an agent', async () => {
    const answer = await click('ticket.close', { user: CARL.id });
    expect(answer).toBe(`Ticket #${ticketNumber} is not yours; only its requester or an agent can do that.`);
    expect((await ticket()).status).toBe('open');
  });

  it('closes from the card and tells the requester', async () => {
    const answer = await click('ticket.close', { user: people.dana.id });
    expect(answer).toBeUndefined();
    const closed = latestCard();
    expect(fieldsOf(closed)).toContain('*Status*\n🔒 Closed');
    // A closed ticket's card has nothing left to press.
    expect(closed.args.blocks.some((b: { type: string }) => b.type === 'actions')).toBe(false);
    expect(lastToAlice()).toBe(`🔒 Ticket #${ticketNumber} is closed.`);
  });

  it('explains a Reopen or Close pressed on an out-of-date card instead of doing it', async () => {
    // Someone still looking at the card as it was when the ticket was resolved.
    const stale = h.slack
      .callsTo('chat.update')
      .filter((c) => c.args.ts === cardTs && fieldsOf(c).includes('Resolved'))
      .at(-1) as RecordedCall;
    const press = async (actionId: string) => {
      const before = h.slack.callsTo('response_url').length;
      await h.post({
        interactive: clickOn(stale, actionId, {
          user: people.dana.id,
          messageTs: cardTs,
          responseUrl: h.slack.responseUrl(`stale-${nextTs()}`),
        }),
      });
      await h.idle();
      return h.slack.callsTo('response_url').slice(before).at(-1)?.args.text;
    };
    expect(await press('ticket.reopen')).toBe(`#${ticketNumber} is closed; file a new ticket instead.`);
    expect(await press('ticket.close')).toBe(
      `Cannot do that to #${ticketNumber}: the ticket is already closed.`,
    );
    expect((await ticket()).status).toBe('closed');
  });
});
