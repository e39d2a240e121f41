import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPEATED_COMMAND_MESSAGE } from '../../src/core/chat/messages.ts';
import { fileEverythingRouter } from '../../src/core/routing/router.ts';
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
  // The adapter's intake is under test, not triage: every request becomes a ticket.
  h = await startSlackApp({ router: fileEverythingRouter });
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

  it('answers an @mention in a channel in a thread under the mention', async () => {
    const mention = fixture('event-app-mention');
    const ts = nextTs();
    Object.assign(mention.event, { ts, event_ts: ts, user: people.bob.id });
    mention.event_id = `EvM${ts.replace('.', '')}`;
    const before = h.slack.callsTo('chat.postMessage').length;
    expect((await h.post({ json: mention })).status).toBe(200);
    await h.idle();
    const answers = h.slack
      .callsTo('chat.postMessage')
      .slice(before)
      .filter((c) => c.args.channel === 'C0GENERAL');
    expect(answers.length).toBeGreaterThan(0);
    for (const answer of answers) expect(answer.args.thread_ts).toBe(ts);
  });

  it('files a 🎫-reacted message in a private channel (message.groups, groups:history)', async () => {
    const before = await ticketCount();
    const ts = nextTs();
    h.slack.addMessage('C0PRIVATE', {
      ts,
      text: 'The badge reader at the back door is dead',
      user: people.alice.id,
    });
    await h.post({
      json: reactionEvent({ user: people.dana.id, channel: 'C0PRIVATE', ts, itemUser: people.alice.id }),
    });
    await h.idle();
    expect(await ticketCount()).toBe(before + 1);
    const ticket = await latestTicket();
    expect(ticket.description).toBe('The badge reader at the back door is dead');
    const history = h.slack.callsTo('conversations.history').find((c) => c.args.channel === 'C0PRIVATE');
    expect(history?.args.latest).toBe(ts);
    const ack = h.slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'C0PRIVATE');
    expect(ack?.args.thread_ts).toBe(ts);
  });

  it('takes requests from a private intake channel', async () => {
    const setup = slashCommand({
      user: people.dana.id,
      channel: 'C0PRIVHELP',
      channelName: 'privategroup',
      text: 'config intake-channel here',
      responseUrl: h.slack.responseUrl('private-intake'),
    });
    await h.post({ form: setup.form });
    await h.idle();
    const before = await ticketCount();
    h.slack.addUser({ id: 'U0GINA', name: 'gina', email: 'gina@acme.test' });
    await h.post({
      json: messageEvent({
        user: 'U0GINA',
        channel: 'C0PRIVHELP',
        channelType: 'group',
        text: 'I need access to the Finance shared drive',
      }),
    });
    await h.idle();
    expect(await ticketCount()).toBe(before + 1);
    expect((await latestTicket()).description).toContain('Finance shared drive');
  });

  it('files one ticket when a person types the same command again within two minutes', async () => {
    const before = await ticketCount();
    const cards = cardsInTriage().length;
    const text = 'new The VPN drops every hour since Monday';
    const first = slashCommand({
      user: people.alice.id,
      channel: 'D0ALICE',
      text,
      responseUrl: h.slack.responseUrl('retype-1'),
    });
    expect((await h.post({ form: first.form })).status).toBe(200);
    // Slack showed its timeout; the person types it again (extra spaces, other case): a new trigger_id.
    const again = slashCommand({
      user: people.alice.id,
      channel: 'D0ALICE',
      text: 'new  the VPN drops every hour since Monday ',
      responseUrl: h.slack.responseUrl('retype-2'),
    });
    expect(again.triggerId).not.toBe(first.triggerId);
    const answer = await h.post({ form: again.form });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ response_type: 'ephemeral', text: REPEATED_COMMAND_MESSAGE });
    // The same request delivered twice (one trigger_id) is a plain duplicate: acknowledged quietly.
    const redelivered = await h.post({ form: first.form });
    expect(redelivered.status).toBe(200);
    expect(await redelivered.text()).toBe('');
    await h.idle();
    expect(await ticketCount()).toBe(before + 1);
    expect(cardsInTriage()).toHaveLength(cards + 1);

    // The same words from someone else, or other words from the same person, are requests of their own.
    h.slack.addUser({ id: 'U0ERIK', name: 'erik', email: 'erik@acme.test' });
    await command('U0ERIK', 'D0ERIK', text);
    await command(people.alice.id, 'D0ALICE', 'new The VPN drops every hour since Tuesday');
    expect(await ticketCount()).toBe(before + 3);
  });

  it('runs a command that only shows something each time it is typed, however soon', async () => {
    const ask = (n: number) =>
      slashCommand({
        user: people.alice.id,
        channel: 'D0ALICE',
        text: 'mine',
        responseUrl: h.slack.responseUrl(`mine-${n}`),
      });
    const first = await h.post({ form: ask(1).form });
    const second = await h.post({ form: ask(2).form });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(await second.text()).not.toContain(REPEATED_COMMAND_MESSAGE);
    await h.idle();
    const answers = h.slack.calls.filter(
      (call) => call.method === 'response_url' && /\/mine-[12]$/.test(call.path ?? ''),
    );
    expect(answers).toHaveLength(2);
    for (const answer of answers) expect(String(answer.args.text)).toMatch(/Your tickets|no open tickets/i);
  });

  it('opens the new-ticket form each time `/helpdesk new` is typed, as only the latest trigger can', async () => {
    const first = await command(people.alice.id, 'D0ALICE', 'new');
    const second = await command(people.alice.id, 'D0ALICE', 'new');
    const opened = h.slack.callsTo('views.open').map((call) => call.args.trigger_id);
    expect(opened).toEqual(expect.arrayContaining([first.triggerId, second.triggerId]));
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
  const openHome = async (user: string) => {
    const opened = fixture('event-app-home-opened');
    const ts = nextTs();
    opened.event_id = `EvH${ts.replace('.', '')}`;
    Object.assign(opened.event, { user, channel: `D${user.slice(1)}`, event_ts: ts });
    await h.post({ json: opened });
    await h.idle();
    const published = h.slack
      .callsTo('views.publish')
      .filter((c) => c.args.user_id === user)
      .at(-1);
    expect(published?.args.view.type).toBe('home');
    return JSON.stringify(published?.args.view.blocks);
  };
  const openTickets = () =>
    h.app.database.db
      .selectFrom('tickets')
      .innerJoin('people', 'people.id', 'tickets.requester_id')
      .select(['tickets.number', 'tickets.title', 'people.email'])
      .where('tickets.status', 'in', ['new', 'open', 'pending'])
      .execute();

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

  it('shows an agent the open queue, with everyone’s open tickets as cards', async () => {
    const home = await openHome(people.dana.id);
    expect(home).toContain('Open queue');
    const open = await openTickets();
    expect(open.some((t) => t.email !== people.alice.email)).toBe(true);
    for (const ticket of open) expect(home).toContain(`#${ticket.number} · `);
    expect(home).toContain('ticket.claim');
  });

  it('shows a requester only their own tickets, and no queue', async () => {
    const home = await openHome(people.alice.id);
    expect(home).toContain('My tickets');
    expect(home).not.toContain('Open queue');
    const open = await openTickets();
    for (const ticket of open.filter((t) => t.email === people.alice.email))
      expect(home).toContain(`#${ticket.number} `);
    for (const ticket of open.filter((t) => t.email !== people.alice.email))
      expect(home).not.toContain(`#${ticket.number} `);
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
