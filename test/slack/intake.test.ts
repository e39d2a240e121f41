import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageEvent, nextTs, reactionEvent, slashCommand, submitView } from './builders.ts';
import { fixture } from './fixtures/index.ts';
import { people, type SlackAppHarness, startSlackApp } from './support.ts';

const TRIAGE = 'C0TRIAGE';

let h: SlackAppHarness;

const ticketCount = async () =>
  Number(
    (
      await h.app.database.db
        .selectFrom('tickets')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const latestTicket = () =>
  h.app.database.db
    .selectFrom('tickets')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
const cardsInTriage = () =>
  h.slack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === TRIAGE && !c.args.thread_ts && c.response);

async function command(user: string, channel: string, text: string) {
  const request = slashCommand({ user, channel, text, responseUrl: h.slack.responseUrl(`cmd-${nextTs()}`) });
  expect((await h.post({ form: request.form })).status).toBe(200);
  await h.idle();
  return request;
}

beforeAll(async () => {
  h = await startSlackApp();
  await command(people.dana.id, TRIAGE, 'config triage-channel here');
});
afterAll(async () => {
  await h?.close();
});

describe('Slack intake', () => {
  it('files a 🎫-reacted message as a ticket for its author, acknowledged in the message’s thread', async () => {
    const ts = nextTs();
    h.slack.addMessage('C0GENERAL', {
      ts,
      text: 'Outlook keeps asking for my password',
      user: people.alice.id,
    });
    await h.post({
      json: reactionEvent({ user: people.dana.id, channel: 'C0GENERAL', ts, itemUser: people.alice.id }),
    });
    await h.idle();
    const ticket = await latestTicket();
    expect(ticket.description).toBe('Outlook keeps asking for my password');
    const requester = await h.app.database.db
      .selectFrom('people')
      .select('email')
      .where('id', '=', ticket.requester_id)
      .executeTakeFirstOrThrow();
    expect(requester.email).toBe(people.alice.email);
    const ack = h.slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'C0GENERAL');
    expect(ack?.args.thread_ts).toBe(ts);
  });

  it('files a message through the "File IT ticket" shortcut with the text Slack sent along', async () => {
    const before = await ticketCount();
    const shortcut = fixture('interactive-message-shortcut');
    shortcut.trigger_id = `trig-${nextTs()}`;
    shortcut.response_url = h.slack.responseUrl('shortcut');
    await h.post({ interactive: shortcut });
    await h.idle();
    expect(await ticketCount()).toBe(before + 1);
    expect((await latestTicket()).description).toBe('Outlook keeps asking for my password');
  });

  it('opens the new-ticket modal for `/helpdesk new` and files what the person typed', async () => {
    const request = await command(people.alice.id, 'D0ALICE', 'new');
    const opened = h.slack.callsTo('views.open').find((c) => c.args.trigger_id === request.triggerId);
    expect(opened?.args.view.callback_id).toBe('ticket.new.submit');
    expect(opened?.args.view.blocks.map((b: { block_id: string }) => b.block_id)).toEqual([
      'title',
      'description',
      'category',
      'urgency',
    ]);

    const before = cardsInTriage().length;
    const submission = submitView(people.alice.id, opened?.args.view, {
      title: 'New starter needs a laptop',
      description: 'Sam starts Monday in Finance',
      category: 'hardware',
      urgency: 'P2',
    });
    expect((await h.post({ interactive: submission })).status).toBe(200);
    await h.idle();
    const ticket = await latestTicket();
    expect(ticket).toMatchObject({
      title: 'New starter needs a laptop',
      category: 'hardware',
      priority: 'P2',
    });
    expect(cardsInTriage()).toHaveLength(before + 1);
  });

  it('treats top-level posts in an intake channel as requests, and ignores other channels', async () => {
    await command(people.dana.id, 'C0ITHELP', 'config intake-channel here');
    const before = await ticketCount();
    await h.post({
      json: messageEvent({
        user: people.alice.id,
        channel: 'C0ITHELP',
        text: 'Can someone reset my Okta MFA? I got a new phone',
      }),
    });
    await h.post({
      json: messageEvent({ user: people.alice.id, channel: 'C0RANDOM', text: 'Anyone up for lunch?' }),
    });
    await h.idle();
    expect(await ticketCount()).toBe(before + 1);
    expect((await latestTicket()).description).toContain('Okta MFA');
  });

  it('files one ticket however often Slack retries the event', async () => {
    const before = await ticketCount();
    const cards = cardsInTriage().length;
    // Someone without an open ticket, so the DM is a new request rather than a follow-up.
    h.slack.addUser({ id: 'U0CARL', name: 'carl', email: 'carl@acme.test' });
    const body = messageEvent({
      user: 'U0CARL',
      channel: 'D0CARL',
      text: 'The printer on floor 3 is jammed',
    });
    for (let retry = 0; retry < 4; retry++) {
      const headers: Record<string, string> = retry
        ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' }
        : {};
      expect((await h.post({ json: body, headers })).status).toBe(200);
    }
    await h.idle();
    expect(await ticketCount()).toBe(before + 1);
    expect(cardsInTriage()).toHaveLength(cards + 1);
  });
});

describe('Slack App Home', () => {
  it('publishes the person’s tickets when they open the Home tab', async () => {
    const opened = fixture('event-app-home-opened');
    opened.event_id = `EvH${nextTs().replace('.', '')}`;
    await h.post({ json: opened });
    await h.idle();
    const published = h.slack.callsTo('views.publish').at(-1);
    expect(published?.args.user_id).toBe(people.alice.id);
    expect(published?.args.view.type).toBe('home');
    expect(JSON.stringify(published?.args.view.blocks)).toContain('New starter needs a laptop');
  });
});

describe('Slack delivery under pressure', () => {
  it('waits out a 429 Retry-After and still delivers a thread’s replies in order', async () => {
    await h.post({
      json: messageEvent({ user: people.bob.id, channel: 'D0BOB', text: 'My monitor flickers' }),
    });
    await h.idle();
    const card = cardsInTriage().at(-1);
    const cardTs: string = card?.response?.ts;

    h.slack.failNext(
      'chat.postMessage',
      { status: 429, retryAfter: 1 },
      1,
      (args) => args.channel === 'D0BOB',
    );
    for (const text of ['first: which monitor?', 'second: try another cable']) {
      await h.post({ json: messageEvent({ user: people.dana.id, channel: TRIAGE, text, threadTs: cardTs }) });
    }
    await h.idle();
    const toBob = h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'D0BOB');
    const limited = toBob.find((c) => !c.response);
    const delivered = toBob.filter((c) => c.response).map((c) => String(c.args.text));
    const first = delivered.findIndex((t) => t.includes('first: which monitor?'));
    const second = delivered.findIndex((t) => t.includes('second: try another cable'));
    expect(limited).toBeDefined();
    expect(first).toBeGreaterThanOrEqual(0);
    expect(second).toBeGreaterThan(first);
    const retried = toBob.find((c) => c.response && c.at > (limited?.at ?? 0));
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('notes a channel_not_found on the ticket timeline instead of retrying forever', async () => {
    await command(people.dana.id, 'C0GONE', 'config triage-channel here');
    h.slack.failNext(
      'chat.postMessage',
      { error: 'channel_not_found' },
      20,
      (args) => args.channel === 'C0GONE',
    );
    h.slack.addUser({ id: 'U0ERIN', name: 'erin', email: 'erin@acme.test' });
    await h.post({
      json: messageEvent({ user: 'U0ERIN', channel: 'D0ERIN', text: 'Teams calls drop after a minute' }),
    });
    await h.idle();
    const attempts = h.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === 'C0GONE' && !c.response);
    expect(attempts).toHaveLength(1);
    const ticket = await latestTicket();
    const failures = await h.app.database.db
      .selectFrom('ticket_events')
      .select(['type', 'body'])
      .where('ticket_id', '=', ticket.id)
      .where('type', '=', 'delivery_failed')
      .execute();
    // The card failed for good; what would have threaded under it is noted too, not retried.
    expect(failures.filter((f) => String(f.body).includes('channel_not_found'))).toHaveLength(1);
  });
});
