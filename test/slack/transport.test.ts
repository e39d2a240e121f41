import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AcceptEvent } from '../../src/bots/slack/app.ts';
import type { ChatEvent } from '../../src/core/chat/chat.ts';
import { fixture, rawFixture } from './fixtures/index.ts';
import { type SlackTransportHarness, startSlackTransport } from './support.ts';

let harness: SlackTransportHarness;

beforeAll(async () => {
  harness = await startSlackTransport();
});
afterAll(async () => {
  await harness?.close();
});
beforeEach(async () => {
  await harness.database.db.deleteFrom('inbound_events').execute();
});

describe('POST /slack/events: recording and acknowledging', () => {
  it('answers the url_verification challenge', async () => {
    const response = await harness.post({ json: fixture('event-url-verification') });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: fixture('event-url-verification').challenge });
  });

  it('records a DM in the inbox before it answers 200', async () => {
    const response = await harness.post({ json: fixture('event-message-im') });
    expect(response.status).toBe(200);
    const stored = await harness.stored();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      event_id: 'Ev0DM0001',
      kind: 'message',
      payload: { isDirect: true, platform: 'slack' },
    });
  });

  it('when Slack retries an event four times, the inbox holds it once', async () => {
    const body = fixture('event-message-im');
    const statuses: number[] = [];
    for (let retry = 0; retry < 4; retry++) {
      const headers: Record<string, string> =
        retry === 0 ? {} : { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' };
      statuses.push((await harness.post({ json: body, headers })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(await harness.stored()).toHaveLength(1);
  });

  it('records a slash command, a button, a select, a modal submission and the message shortcut', async () => {
    const command = await harness.post({ form: rawFixture('command-helpdesk-claim') });
    expect(command.status).toBe(200);
    expect(await command.text()).toBe('');
    for (const name of [
      'interactive-claim',
      'interactive-priority',
      'interactive-view-submission',
      'interactive-message-shortcut',
    ]) {
      expect((await harness.post({ interactive: fixture(name) })).status).toBe(200);
    }
    const stored = await harness.stored();
    expect(stored.map((row) => row.kind)).toEqual(['command', 'action', 'action', 'action', 'reaction']);
    expect(stored[0]?.payload).toMatchObject({ text: 'claim #4' });
  });

  it('acknowledges but does not record edits, bots, its own posts, join noise and other reactions', async () => {
    const names = [
      'event-message-changed',
      'event-message-bot',
      'event-message-own',
      'event-channel-join',
      'event-reaction-other',
    ];
    for (const name of names) expect((await harness.post({ json: fixture(name) })).status).toBe(200);
    expect(await harness.stored()).toHaveLength(0);
  });

  it('records an @mention once although Slack sends it as app_mention and as message.channels', async () => {
    await harness.post({ json: fixture('event-message-channel-mention') });
    await harness.post({ json: fixture('event-app-mention') });
    const stored = await harness.stored();
    expect(stored.map((row) => row.event_id)).toEqual(['Ev0MEN0001']);
  });
});

describe('POST /slack/events: rejecting what is not from Slack', () => {
  it('rejects a bad signature with 401 and stores nothing', async () => {
    const response = await harness.post({
      json: fixture('event-message-im'),
      sign: { secret: 'not-the-secret' },
    });
    expect(response.status).toBe(401);
    expect(await harness.stored()).toHaveLength(0);
  });

  it('rejects a missing signature with 401 and stores nothing', async () => {
    const response = await harness.post({ json: fixture('event-message-im'), sign: false });
    expect(response.status).toBe(401);
    expect(await harness.stored()).toHaveLength(0);
  });

  it('rejects a correctly signed but stale request (a replay) with 401 and stores nothing', async () => {
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const response = await harness.post({
      json: fixture('event-message-im'),
      sign: { timestamp: sixMinutesAgo },
    });
    expect(response.status).toBe(401);
    expect(await harness.stored()).toHaveLength(0);
  });

  it('refuses a 1 MB body with 413 and stores nothing', async () => {
    const body = fixture('event-message-im');
    body.event.text = 'x'.repeat(1024 * 1024);
    const response = await harness.post({ json: body });
    expect(response.status).toBe(413);
    expect(await harness.stored()).toHaveLength(0);
  });

  it('refuses signed but malformed JSON with 400 and stores nothing', async () => {
    const response = await harness.post({ raw: '{"type":"event_callback","event":{' });
    expect(response.status).toBe(400);
    const payload = await harness.post({
      raw: 'payload=%7Bnot-json',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(payload.status).toBe(400);
    expect(await harness.stored()).toHaveLength(0);
  });
});

describe('POST /slack/events: malformed envelopes', () => {
  const im = () => fixture('event-message-im');
  it.each([
    ['"event": null', () => ({ ...im(), event: null })],
    ['no event at all', () => ({ ...im(), event: undefined })],
    ['an event that is a string', () => ({ ...im(), event: 'message' })],
    ['an event without a type', () => ({ ...im(), event: { ...im().event, type: undefined } })],
    ['an event whose type is a number', () => ({ ...im(), event: { ...im().event, type: 7 } })],
    ['an envelope without a type', () => ({ ...im(), type: undefined })],
    ['an envelope whose type is an object', () => ({ ...im(), type: { name: 'event_callback' } })],
  ])('answers %s with 400 malformed_envelope and stores nothing', async (_case, body) => {
    const response = await harness.post({ json: body() });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'malformed_envelope' });
    expect(await harness.stored()).toHaveLength(0);
  });

  it('answers an interaction payload without a type with 400 and stores nothing', async () => {
    const payload = fixture('interactive-claim');
    delete payload.type;
    const response = await harness.post({ interactive: payload });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'malformed_envelope' });
    const actions = await harness.post({
      interactive: { ...fixture<Record<string, unknown>>('interactive-claim'), actions: null },
    });
    expect(actions.status).toBe(400);
    expect(await harness.stored()).toHaveLength(0);
  });

  it('answers a slash command form without its command with 400 and stores nothing', async () => {
    const form = new URLSearchParams(rawFixture('command-helpdesk-claim'));
    form.delete('command');
    const response = await harness.post({ form: form.toString() });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'malformed_envelope' });
    expect(await harness.stored()).toHaveLength(0);
  });
});

describe('POST /slack/events: ack ordering', () => {
  it('Slack hears 200 only after the inbox has recorded the event', async () => {
    let entered: () => void = () => {};
    const reached = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const recorded: ChatEvent[] = [];
    const slowAccept: AcceptEvent = async (event) => {
      entered();
      await gate;
      recorded.push(event);
      return { duplicate: false, id: 1 };
    };
    const slow = await startSlackTransport({ accept: slowAccept });
    try {
      let answered = false;
      const pending = slow.post({ json: fixture('event-message-im') }).then((response) => {
        answered = true;
        return response;
      });
      await reached;
      // Give a premature answer time to arrive over the socket; none must.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(answered).toBe(false);
      release();
      expect((await pending).status).toBe(200);
      expect(recorded).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  it('answers 500 when a request cannot be recorded: Slack retries an event, and shows a command’s error', async () => {
    const failing = await startSlackTransport({
      accept: async () => {
        throw new Error('database unavailable');
      },
    });
    try {
      expect((await failing.post({ json: fixture('event-message-im') })).status).toBe(500);
      expect((await failing.post({ form: rawFixture('command-helpdesk-claim') })).status).toBe(500);
    } finally {
      await failing.close();
    }
  });
});
