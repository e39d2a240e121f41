import { describe, expect, it } from 'vitest';
import { fixture, ids, rawFixture } from '../../../test/slack/fixtures/index.ts';
import type { ChatEvent } from '../../core/chat/chat.ts';
import { renderModal } from './render.ts';
import { attachmentsOf, stripBotMention, toChatEvent } from './to-chat-event.ts';

function converted(body: unknown, botUserId?: string): ChatEvent {
  const result = toChatEvent(body, { botUserId });
  if (result.kind !== 'event') throw new Error(`expected an event, got: ${result.reason}`);
  return result.event;
}

function form(raw: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(raw));
}

describe('Slack events → ChatEvent', () => {
  it('turns a DM into a direct message keyed by the Events API event_id', () => {
    const event = converted(fixture('event-message-im'));
    expect(event).toMatchObject({
      kind: 'message',
      eventId: 'Ev0DM0001',
      isDirect: true,
      mentionsBot: false,
      messageId: '1764147600.000100',
      text: "My laptop won't connect to the VPN since this morning",
      sender: { platform: 'slack', tenant: ids.team, userId: ids.alice },
      conversation: { platform: 'slack', tenant: ids.team, channel: ids.aliceDm, isDirect: true },
    });
    expect(event.conversation.thread).toBeUndefined();
  });

  it('keeps the thread of a DM reply so core can relay it to the ticket', () => {
    const event = converted(fixture('event-message-im-thread'));
    expect(event.conversation.thread).toBe('1764147600.000100');
  });

  it('answers an @mention in a thread under the mentioning message', () => {
    const event = converted(fixture('event-app-mention'));
    expect(event).toMatchObject({
      kind: 'message',
      mentionsBot: true,
      isDirect: false,
      eventId: 'Ev0MEN0001',
    });
    expect(event.conversation).toMatchObject({ channel: 'C0GENERAL', thread: '1764148000.000300' });
  });

  it('forwards a top-level channel message for the intake check, threaded under itself', () => {
    const event = converted(fixture('event-message-channel'));
    expect(event).toMatchObject({
      kind: 'message',
      isDirect: false,
      mentionsBot: false,
      messageId: '1764148100.000400',
    });
    expect(event.conversation.thread).toBe('1764148100.000400');
  });

  it('treats a private-channel message (message.groups, channel_type group) like a channel message', () => {
    const event = converted(fixture('event-message-group'));
    expect(event).toMatchObject({
      kind: 'message',
      eventId: 'Ev0GRP0001',
      isDirect: false,
      mentionsBot: false,
      text: 'The badge reader at the back door is dead',
      conversation: { channel: 'C0PRIVATE', thread: '1764148900.000500', isDirect: false },
    });
  });

  it('forwards a reply in a channel thread with the thread it belongs to', () => {
    const event = converted(fixture('event-message-channel-thread-reply'));
    expect(event).toMatchObject({
      kind: 'message',
      sender: { userId: ids.agent },
      conversation: { channel: ids.triage, thread: '1764147700.000900' },
    });
  });

  it('drops the message.channels copy of an @mention, since app_mention carries it', () => {
    expect(toChatEvent(fixture('event-message-channel-mention'))).toMatchObject({ kind: 'unsupported' });
    expect(toChatEvent(fixture('event-message-channel-mention'), { botUserId: 'U0OTHER' })).toMatchObject({
      kind: 'event',
    });
  });

  it.each([
    ['an edit', 'event-message-changed'],
    ['another bot', 'event-message-bot'],
    ['its own message', 'event-message-own'],
    ['channel join noise', 'event-channel-join'],
    ['a reaction other than 🎫', 'event-reaction-other'],
    ['url_verification', 'event-url-verification'],
    ['a global shortcut it does not offer', 'interactive-global-shortcut'],
  ])('ignores %s', (_what, name) => {
    expect(toChatEvent(fixture(name)).kind).toBe('unsupported');
  });

  it('turns a 🎫 reaction into a reaction on the message, naming its author', () => {
    const event = converted(fixture('event-reaction-ticket'));
    expect(event).toMatchObject({
      kind: 'reaction',
      emoji: 'ticket',
      sender: { userId: ids.agent },
      target: { messageId: '1764148600.000900', author: { userId: ids.alice } },
      conversation: { channel: 'C0GENERAL', thread: '1764148600.000900' },
    });
  });

  it('turns opening App Home into the `home` command', () => {
    expect(converted(fixture('event-app-home-opened'))).toMatchObject({
      kind: 'command',
      text: 'home',
      sender: { userId: ids.alice },
      conversation: { channel: ids.aliceDm, isDirect: true },
    });
  });
});

describe('Slack commands and interactivity → ChatEvent', () => {
  it('turns /helpdesk into a command with its text, trigger and response_url', () => {
    const event = converted(form(rawFixture('command-helpdesk-claim')));
    expect(event).toMatchObject({
      kind: 'command',
      text: 'claim #4',
      triggerId: '7707.1764.ff66',
      eventId: 'command-7707.1764.ff66',
      conversation: {
        channel: ids.triage,
        isDirect: false,
        data: { responseUrl: 'https://hooks.slack.com/commands/T0HELPDSK/7707/qwerty' },
      },
    });
    expect(toChatEvent(form(rawFixture('command-other'))).kind).toBe('unsupported');
  });

  it('turns a card button into an action on the card message', () => {
    expect(converted(fixture('interactive-claim'))).toMatchObject({
      kind: 'action',
      actionId: 'ticket.claim',
      value: '4',
      messageId: '1764147700.000900',
      sender: { userId: ids.agent },
      conversation: {
        channel: ids.triage,
        data: { responseUrl: expect.stringContaining('hooks.slack.com') },
      },
    });
  });

  it('reads the chosen user of the Assign select and the ticket id it carries', () => {
    expect(converted(fixture('interactive-assign'))).toMatchObject({
      actionId: 'ticket.assign',
      value: '4',
      inputs: { user: 'U0BOB' },
    });
  });

  it('reads the chosen priority of the Priority select', () => {
    expect(converted(fixture('interactive-priority'))).toMatchObject({
      actionId: 'ticket.priority',
      value: '4',
      inputs: { priority: 'P2' },
    });
  });

  it('strips the uniqueness suffix from repeated buttons such as the CSAT scale', () => {
    expect(converted(fixture('interactive-csat'))).toMatchObject({
      actionId: 'csat.rate',
      value: '4:3',
      conversation: { channel: ids.aliceDm, thread: '1764147600.000100', isDirect: true },
    });
  });

  it('answers a button in App Home in the person’s DM with the app', () => {
    expect(converted(fixture('interactive-home-button'))).toMatchObject({
      actionId: 'ticket.reopen',
      conversation: { channel: ids.alice, isDirect: true },
    });
  });

  it('turns a modal submission into its callback action with the typed inputs and the original conversation', () => {
    expect(converted(fixture('interactive-view-submission'))).toMatchObject({
      kind: 'action',
      actionId: 'ticket.resolve.submit',
      value: '4',
      inputs: { note: 'Renewed the VPN certificate' },
      conversation: { channel: ids.triage, thread: '1764147700.000900', isDirect: false },
    });
    expect(converted(fixture('interactive-new-ticket-submission'))).toMatchObject({
      actionId: 'ticket.new.submit',
      inputs: { title: 'New starter needs a laptop', category: 'hardware', urgency: 'normal' },
      conversation: { channel: ids.aliceDm, isDirect: true },
    });
  });

  it('round-trips a rendered modal: what render.ts stores, to-chat-event reads back', () => {
    const view = renderModal(
      {
        callbackId: 'ticket.note.submit',
        title: 'Note',
        submitLabel: 'Add',
        privateValue: '12',
        inputs: [{ id: 'note', label: 'Note' }],
      },
      {
        platform: 'slack',
        tenant: ids.team,
        channel: 'C9',
        thread: '1.2',
        data: { responseUrl: 'https://hooks.example/r' },
      },
    );
    const body = {
      type: 'view_submission',
      team: { id: ids.team },
      user: { id: ids.agent },
      trigger_id: 't-9',
      view: {
        ...view,
        id: 'V9',
        state: { values: { note: { note: { type: 'plain_text_input', value: 'called the user' } } } },
      },
    };
    expect(converted(body)).toMatchObject({
      actionId: 'ticket.note.submit',
      value: '12',
      inputs: { note: 'called the user' },
      conversation: { channel: 'C9', thread: '1.2', data: { responseUrl: 'https://hooks.example/r' } },
    });
  });

  it('files a message through the "File IT ticket" shortcut as a 🎫 on it, with its text and author', () => {
    expect(converted(fixture('interactive-message-shortcut'))).toMatchObject({
      kind: 'reaction',
      emoji: 'ticket',
      eventId: 'shortcut-7705.1764.dd44',
      sender: { userId: ids.agent },
      target: {
        messageId: '1764148600.000900',
        text: 'Outlook keeps asking for my password',
        author: { userId: ids.alice },
      },
      conversation: { channel: 'C0GENERAL', thread: '1764148600.000900' },
    });
  });

  it('gives every interaction a distinct, stable event id', () => {
    const names = [
      'interactive-claim',
      'interactive-assign',
      'interactive-priority',
      'interactive-view-submission',
      'interactive-message-shortcut',
    ];
    const eventIds = names.map((name) => converted(fixture(name)).eventId);
    expect(new Set(eventIds).size).toBe(names.length);
    expect(converted(fixture('interactive-claim')).eventId).toBe(
      converted(fixture('interactive-claim')).eventId,
    );
  });

  it('says why instead of throwing on shapes it does not know', () => {
    expect(toChatEvent(null)).toMatchObject({ kind: 'unsupported' });
    expect(toChatEvent({ type: 'event_callback' })).toMatchObject({ kind: 'unsupported' });
    expect(toChatEvent({ type: 'block_actions', actions: [] })).toMatchObject({ kind: 'unsupported' });
    expect(
      toChatEvent({ type: 'event_callback', event: { type: 'message', text: 'no user' } }),
    ).toMatchObject({ kind: 'unsupported' });
  });
});

describe('the bot’s own mention', () => {
  it('is stripped wherever it is, with or without a name; other people’s mentions stay', () => {
    expect(stripBotMention('<@U0HDBOT> hi', 'U0HDBOT')).toEqual({ text: 'hi', found: true });
    expect(stripBotMention('<@U0HDBOT|helpdesk>, VPN is down', 'U0HDBOT').text).toBe('VPN is down');
    expect(stripBotMention('assign #4 to <@U0BOB> please <@U0HDBOT>', 'U0HDBOT').text).toBe(
      'assign #4 to <@U0BOB> please',
    );
    expect(stripBotMention('<@U0HDBOT>', 'U0HDBOT')).toEqual({ text: '', found: true });
    expect(stripBotMention('hi <@U0HDBOTX>', 'U0HDBOT')).toEqual({ text: 'hi <@U0HDBOTX>', found: false });
  });

  it('leaves an app_mention without the bot token in its text, even when only `authed_users` names the bot', () => {
    const body = fixture('event-app-mention');
    delete body.authorizations;
    body.authed_users = ['U0HDBOT'];
    body.event.text = '<@U0HDBOT> printer on 3 is jammed';
    expect(converted(body)).toMatchObject({
      kind: 'message',
      text: 'printer on 3 is jammed',
      mentionsBot: true,
    });
  });
});

describe('a bare mention', () => {
  it('asks for help instead of arriving as an empty message, in the thread under it', () => {
    const body = fixture('event-app-mention');
    body.event.text = '<@U0HDBOT>';
    expect(converted(body, 'U0HDBOT')).toMatchObject({
      kind: 'command',
      text: 'help',
      conversation: { channel: 'C0GENERAL', thread: body.event.ts },
    });
  });

  it('with a file is a message carrying the file (core files it)', () => {
    const body = fixture('event-app-mention');
    body.event.text = '<@U0HDBOT>';
    body.event.files = [{ name: 'error.png', mimetype: 'image/png', permalink: 'https://x/p' }];
    expect(converted(body, 'U0HDBOT')).toMatchObject({
      kind: 'message',
      text: '',
      attachments: [{ name: 'error.png', url: 'https://x/p' }],
    });
  });
});

describe('files', () => {
  it('become attachments by link: permalink first, deleted and plan-hidden files skipped, at most ten', () => {
    const files = [
      {
        name: 'a.png',
        mimetype: 'image/png',
        size: 10,
        permalink: 'https://x/p',
        url_private: 'https://x/u',
      },
      { id: 'F2', mode: 'tombstone' },
      { id: 'F3', hidden_by_limit: true, name: 'old.pdf' },
      { id: 'F4', mode: 'file_access', file_access: 'check_file_info', created: 0, user: '' },
      { name: 'x'.repeat(300), url_private: 'https://x/long' },
      ...Array.from({ length: 20 }, (_, i) => ({ name: `f${i}.txt`, permalink: `https://x/${i}` })),
    ];
    const attachments = attachmentsOf(files) ?? [];
    expect(attachments).toHaveLength(10);
    expect(attachments[0]).toEqual({ name: 'a.png', contentType: 'image/png', size: 10, url: 'https://x/p' });
    expect(attachments[1]).toEqual({ name: 'file', contentType: undefined, size: undefined, url: undefined });
    expect(attachments[2]?.name).toHaveLength(200);
    expect(attachments[2]?.url).toBe('https://x/long');
    expect(attachmentsOf([{ mode: 'tombstone' }])).toBeUndefined();
  });
});

describe('installs', () => {
  it('turns app_uninstalled and a bot-token revocation into an uninstall of the workspace', () => {
    const base = { type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event_id: 'Ev1', event_time: 1 };
    expect(converted({ ...base, event: { type: 'app_uninstalled' } })).toMatchObject({
      kind: 'uninstalled',
      scope: 'workspace',
      reason: 'app_uninstalled',
      conversation: { platform: 'slack', tenant: 'T1', channel: '' },
    });
    expect(
      converted({ ...base, event: { type: 'tokens_revoked', tokens: { oauth: ['U1'], bot: ['U2'] } } }),
    ).toMatchObject({ kind: 'uninstalled', reason: 'tokens_revoked' });
    expect(
      toChatEvent({ ...base, event: { type: 'tokens_revoked', tokens: { oauth: ['U1'] } } }),
    ).toMatchObject({ kind: 'unsupported' });
  });
});

describe('modals this app did not open', () => {
  it('are not events: no answer goes anywhere', () => {
    const body = fixture('interactive-view-submission');
    body.view.callback_id = 'view-id';
    body.view.private_metadata = 'This is for you!';
    expect(toChatEvent(body)).toMatchObject({ kind: 'unsupported' });
    const ours = fixture('interactive-view-submission');
    ours.view.private_metadata = 'not json';
    expect(toChatEvent(ours)).toMatchObject({ kind: 'unsupported' });
    const isOwnModal = (id: string) => id === 'ticket.resolve.submit';
    expect(toChatEvent(fixture('interactive-view-submission'), { isOwnModal })).toMatchObject({
      kind: 'event',
    });
    const other = fixture('interactive-view-submission');
    other.view.callback_id = 'survey.submit';
    expect(toChatEvent(other, { isOwnModal })).toMatchObject({ kind: 'unsupported' });
  });
});
