import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conversationIdFor, splitConversationId, toChatEvent } from './to-chat-event.ts';

function fixture(name: string): Record<string, any> {
  return JSON.parse(
    readFileSync(new URL(`../../../test/teams/fixtures/${name}.json`, import.meta.url), 'utf8'),
  );
}

/** The activity of a recorded fixture (test/fixtures/recorded/teams, sources in its SOURCES.md). */
function recorded(name: string): Record<string, any> {
  return JSON.parse(
    readFileSync(new URL(`../../../test/fixtures/recorded/teams/${name}.json`, import.meta.url), 'utf8'),
  ).activity;
}

const TENANT = '9f1e2d3c-0000-4000-8000-00000000c0de';

describe('toChatEvent', () => {
  it('turns a personal 1:1 message into a direct message keyed on the Entra object id', () => {
    const event = toChatEvent(fixture('personal-message'));
    expect(event).toMatchObject({
      kind: 'message',
      platform: 'teams',
      eventId: '1732600000001',
      messageId: '1732600000001',
      text: 'My laptop will not connect to the office VPN since this morning',
      isDirect: true,
      mentionsBot: false,
      sender: {
        platform: 'teams',
        tenant: TENANT,
        userId: '0b0e6a4e-1111-4a4a-9c9c-0d0a0a0a0001',
        displayName: 'Dana Fischer',
      },
      conversation: {
        platform: 'teams',
        tenant: TENANT,
        channel: 'a:1dana-personal-chat-with-helpdesk',
        isDirect: true,
      },
    });
    if (event.kind !== 'message') throw new Error('expected a message');
    expect(event.conversation.thread).toBeUndefined();
    expect(event.conversation.data?.reference).toEqual({
      channelId: 'msteams',
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      bot: { id: '28:00000000-0000-4000-8000-0000000b0701', name: 'Helpdesk' },
      conversation: {
        id: 'a:1dana-personal-chat-with-helpdesk',
        conversationType: 'personal',
        tenantId: TENANT,
      },
      locale: 'en-US',
    });
  });

  it('strips the bot mention from a channel reply and keeps the reply chain as the thread', () => {
    const event = toChatEvent(fixture('channel-mention-reply'));
    expect(event).toMatchObject({
      kind: 'message',
      text: 'the printer on floor 2 is jammed again',
      mentionsBot: true,
      isDirect: false,
      conversation: {
        channel: '19:it-support-channel@thread.tacv2',
        thread: '1732600000100',
        isDirect: false,
      },
    });
  });

  it('roots a new reply chain at a top-level channel post', () => {
    const activity = fixture('channel-mention-reply');
    activity.conversation.id = '19:it-support-channel@thread.tacv2';
    const event = toChatEvent(activity);
    expect(event).toMatchObject({ kind: 'message', conversation: { thread: '1732600000201' } });
  });

  it('reads text starting with helpdesk or /helpdesk after the mention as a command', () => {
    const activity = fixture('channel-mention-reply');
    activity.text = '<at>Helpdesk</at> helpdesk  claim #4';
    expect(toChatEvent(activity)).toMatchObject({ kind: 'command', text: 'claim #4' });
    const direct = fixture('personal-message');
    direct.text = '/helpdesk mine';
    expect(toChatEvent(direct)).toMatchObject({ kind: 'command', text: 'mine' });
    direct.text = 'helpdesks are great';
    expect(toChatEvent(direct)).toMatchObject({ kind: 'message' });
  });

  it('passes people mentioned in a command on as <@29:id|Name>, the only id a real mention carries', () => {
    const activity = fixture('channel-mention-reply');
    activity.text = '<at>Helpdesk</at> helpdesk assign #4 <at>Alex Agent</at>';
    activity.entities.push({
      type: 'mention',
      text: '<at>Alex Agent</at>',
      mentioned: { id: '29:1agent', name: 'Alex Agent' },
    });
    expect(toChatEvent(activity)).toMatchObject({
      kind: 'command',
      text: 'assign #4 <@29:1agent|Alex Agent>',
    });
  });

  it('keeps the 29: id of the sender as an alias of the Entra object id people are keyed on', () => {
    expect(toChatEvent(fixture('personal-message'))).toMatchObject({
      sender: { userId: '0b0e6a4e-1111-4a4a-9c9c-0d0a0a0a0001', aliases: ['29:1dana-example-teams-user-id'] },
    });
  });

  it('strips the bot mention whatever its shape: no entity text, another display name, twice, a bare name', () => {
    const botId = '28:00000000-0000-4000-8000-0000000b0701';
    const say = (text: string, entities: object[], recipientName = 'Helpdesk') => {
      const activity = fixture('personal-message');
      activity.text = text;
      activity.recipient = { id: botId, name: recipientName };
      activity.entities = entities;
      return toChatEvent(activity);
    };
    const withoutText = [{ type: 'mention', mentioned: { id: botId, name: 'Helpdesk' } }];
    expect(say('<at>Helpdesk</at> Hey', withoutText)).toMatchObject({ text: 'Hey', mentionsBot: true });
    expect(say('Helpdesk Hey', withoutText)).toMatchObject({ text: 'Hey', mentionsBot: true });
    const renamed = [
      { type: 'mention', text: '<at>IT Desk</at>', mentioned: { id: botId, name: 'IT Desk' } },
    ];
    expect(say('<at>IT Desk</at>2\n', renamed)).toMatchObject({ text: '2' });
    const otherName = [{ type: 'mention', mentioned: { id: botId, name: 'IT Desk' } }];
    expect(say('<at>IT Desk</at> printer <at>Helpdesk</at>', otherName)).toMatchObject({ text: 'printer' });
    const twice = [
      { type: 'mention', text: '<at>Helpdesk</at>', mentioned: { id: botId, name: 'Helpdesk' } },
    ];
    expect(say('<at>Helpdesk</at> hi <at>Helpdesk</at>', twice)).toMatchObject({ text: 'hi' });
    const encoded = [
      { type: 'mention', text: '<at>O&#39;Neil Desk</at>', mentioned: { id: botId, name: "O'Neil Desk" } },
    ];
    expect(say('<at>O&#39;Neil Desk</at>&nbsp;my VPN', encoded, "O'Neil Desk")).toMatchObject({
      text: 'my VPN',
    });
    // A word that merely starts like the bot's name stays.
    expect(say('Helpdesks are great', withoutText)).toMatchObject({ text: 'Helpdesks are great' });
  });

  it('writes a person mentioned without entity text as a token too, and a channel mention as its name', () => {
    const activity = fixture('channel-mention-reply');
    activity.text = '<at>Helpdesk</at> helpdesk role <at>Maria José da Silva</at> agent <at>IT Support</at>';
    activity.entities = [
      { type: 'mention', mentioned: { id: '28:00000000-0000-4000-8000-0000000b0701', name: 'Helpdesk' } },
      { type: 'mention', mentioned: { id: '29:1maria', name: 'Maria José da Silva' } },
      {
        type: 'mention',
        text: '<at>IT Support</at>',
        mentioned: { id: '19:abc@thread.tacv2', name: 'IT Support', conversationIdentityType: 'channel' },
      },
    ];
    expect(toChatEvent(activity)).toMatchObject({
      kind: 'command',
      text: 'role <@29:1maria|Maria José da Silva> agent IT Support',
    });
  });

  it('reads file shares, inline images and images only in the HTML copy as attachments', () => {
    const activity = fixture('personal-message');
    activity.text = '';
    activity.attachments = [
      {
        contentType: 'application/vnd.microsoft.teams.file.download.info',
        contentUrl: 'https://contoso.sharepoint.com/personal/dana/Documents/error.log',
        name: 'error.log',
        content: { downloadUrl: 'https://download.link/x?tempauth=t', uniqueId: 'A1', fileType: 'log' },
      },
      { contentType: 'text/html', content: '<p></p>' },
    ];
    expect(toChatEvent(activity)).toMatchObject({
      kind: 'message',
      text: '',
      attachments: [
        {
          name: 'error.log',
          contentType: 'text/plain',
          url: 'https://contoso.sharepoint.com/personal/dana/Documents/error.log',
        },
      ],
    });
    activity.attachments = [
      {
        contentType: 'image/*',
        contentUrl: 'https://smba.trafficmanager.net/emea/v3/attachments/0-a/views/original',
      },
      {
        contentType: 'text/html',
        content: '<p><img src="https://eu-api.asm.skype.com/v1/objects/0-a/views/imgo"></p>',
      },
    ];
    expect(toChatEvent(activity)).toMatchObject({
      attachments: [
        { name: 'image', url: 'https://smba.trafficmanager.net/emea/v3/attachments/0-a/views/original' },
      ],
    });
    activity.text = 'see screenshot';
    activity.attachments = [
      {
        contentType: 'text/html',
        content:
          '<div>see screenshot <img itemtype="http://schema.skype.com/Emoji" src="https://statics.teams.cdn.office.net/smile.png" alt="🙂"><img alt="image" src="https://eu-api.asm.skype.com/v1/objects/0-b/views/imgo?a=1&amp;b=2"></div>',
      },
    ];
    const event = toChatEvent(activity);
    expect(event).toMatchObject({
      attachments: [{ name: 'image', url: 'https://eu-api.asm.skype.com/v1/objects/0-b/views/imgo?a=1&b=2' }],
    });
    if (event.kind === 'message') expect(event.attachments).toHaveLength(1);
    // Only the HTML copy of an empty message: nothing to act on.
    activity.text = '';
    activity.attachments = [{ contentType: 'text/html', content: '<p>&nbsp;</p>' }];
    expect(toChatEvent(activity)).toMatchObject({ kind: 'unsupported' });
  });

  it('turns the bot being removed or uninstalled into an uninstalled event for that conversation', () => {
    const removed = fixture('bot-added-to-team');
    removed.membersRemoved = removed.membersAdded;
    delete removed.membersAdded;
    expect(toChatEvent(removed)).toMatchObject({
      kind: 'uninstalled',
      scope: 'conversation',
      reason: 'conversationUpdate membersRemoved',
      conversation: { channel: '19:it-team@thread.tacv2' },
    });
    const uninstall = fixture('bot-added-to-team');
    delete uninstall.membersAdded;
    uninstall.type = 'installationUpdate';
    uninstall.action = 'remove';
    delete uninstall.serviceUrl;
    expect(toChatEvent(uninstall)).toMatchObject({
      kind: 'uninstalled',
      reason: 'installationUpdate remove',
      conversation: { channel: '19:it-team@thread.tacv2' },
    });
    uninstall.action = 'remove-upgrade';
    expect(toChatEvent(uninstall)).toMatchObject({
      kind: 'uninstalled',
      reason: 'installationUpdate remove-upgrade',
    });
    uninstall.action = 'add';
    uninstall.serviceUrl = 'https://smba.trafficmanager.net/emea/';
    expect(toChatEvent(uninstall)).toMatchObject({ kind: 'installed' });
    uninstall.type = 'conversationUpdate';
    expect(toChatEvent(uninstall)).toMatchObject({ kind: 'unsupported' });
  });

  it('decodes the HTML entities Teams puts in message text, numeric ones and &nbsp; included', () => {
    const activity = fixture('channel-mention-reply');
    // Teams follows a mention with &nbsp; and escapes what the user typed.
    activity.text =
      '<at>Helpdesk</at>&nbsp;can&#39;t print &#8211; error &#x27;0x80&#x27;&#160;in Caf&eacute; &amp; &quot;R&amp;D&quot; &lt;3&gt; &apos;ok&apos;';
    expect(toChatEvent(activity)).toMatchObject({
      kind: 'message',
      text: `can't print – error '0x80' in Café & "R&D" <3> 'ok'`,
    });
    // Without a semicolon it is text, not an entity; an escaped entity stays escaped once.
    activity.text = '<at>Helpdesk</at> &notice &amp;lt;b&amp;gt;';
    expect(toChatEvent(activity)).toMatchObject({ kind: 'message', text: '&notice &lt;b&gt;' });
  });

  it('reads the HTML body of a filed message as plain text, entities decoded', () => {
    const activity = fixture('message-action-file-ticket');
    activity.value.messagePayload.body.content =
      '<p>Outlook&nbsp;says &#8220;can&rsquo;t connect&#8221;</p><p>since&#160;9:00&nbsp;&ndash; &lt;urgent&gt;</p>';
    expect(toChatEvent(activity)).toMatchObject({
      kind: 'reaction',
      target: { text: 'Outlook says “can’t connect”\nsince 9:00 – <urgent>\n\nUrgent for the board meeting' },
    });
  });

  it('turns the bot being added to a team into an installed event for that channel', () => {
    const event = toChatEvent(fixture('bot-added-to-team'));
    expect(event).toMatchObject({
      kind: 'installed',
      eventId: 'f:7c1a0000-0000-4000-8000-0000000000a1',
      conversation: { channel: '19:it-team@thread.tacv2', isDirect: false },
      sender: { userId: '0b0e6a4e-3333-4a4a-9c9c-0d0a0a0a0003' },
    });
  });

  it('ignores a conversationUpdate that adds someone else', () => {
    const activity = fixture('bot-added-to-team');
    activity.membersAdded = [{ id: '29:1someone-else' }];
    expect(toChatEvent(activity)).toMatchObject({ kind: 'unsupported' });
  });

  it('turns an Action.Execute invoke into an action with verb, value, inputs and the card message id', () => {
    const activity = fixture('action-execute-claim');
    activity.value.action.data = { value: '7', note: 'done it', count: 2 };
    expect(toChatEvent(activity)).toMatchObject({
      kind: 'action',
      actionId: 'ticket.claim',
      value: '7',
      inputs: { note: 'done it', count: '2' },
      messageId: '1732600000500',
      conversation: { channel: '19:it-triage@thread.tacv2', thread: '1732600000500' },
    });
  });

  it('takes a select choice as the value of its action', () => {
    const activity = fixture('action-execute-claim');
    activity.value.action = {
      type: 'Action.Execute',
      verb: 'ticket.priority',
      data: { input: 'priority', priority: '12:P1', user: '' },
    };
    const event = toChatEvent(activity);
    expect(event).toMatchObject({ kind: 'action', value: '12:P1', inputs: { user: '' } });
    expect(event.kind === 'action' ? event.inputs : undefined).not.toHaveProperty('priority');
  });

  it('turns the Action.Submit fallback of our button (a message with value) into the same action', () => {
    // Recorded: an Action.Submit press arrives as a message with only `value` (data + inputs).
    const activity = recorded('24-action-submit-message-value-only');
    activity.value = { value: '7', verb: 'ticket.claim', note: 'done it', count: 2 };
    const event = toChatEvent(activity);
    expect(event).toMatchObject({
      kind: 'action',
      eventId: activity.id,
      actionId: 'ticket.claim',
      value: '7',
      inputs: { note: 'done it', count: '2' },
      messageId: activity.replyToId,
      answeredInline: false,
      sender: { userId: activity.from.aadObjectId },
      conversation: { channel: '19:d8e1f3a5c7b94e2d9f1a3c5e7b9d1f3a@thread.tacv2', thread: '1764490507407' },
    });
    expect(event.kind === 'action' ? event.inputs : undefined).not.toHaveProperty('verb');
    // A select's Set button: the chosen option is the value, as with Execute.
    activity.value = { input: 'priority', priority: '12:P1', verb: 'ticket.priority' };
    expect(toChatEvent(activity)).toMatchObject({
      kind: 'action',
      actionId: 'ticket.priority',
      value: '12:P1',
    });
  });

  it('leaves an Action.Submit without our action id, or with an empty one, unsupported', () => {
    const activity = recorded('24-action-submit-message-value-only');
    expect(toChatEvent(activity)).toMatchObject({ kind: 'unsupported', reason: 'empty message' });
    activity.value = { verb: '', value: '7' };
    expect(toChatEvent(activity)).toMatchObject({ kind: 'unsupported' });
    activity.value = { verb: 42 };
    expect(toChatEvent(activity)).toMatchObject({ kind: 'unsupported' });
  });

  it('reports an Execute without a verb, and card refreshes, as unsupported', () => {
    const activity = fixture('action-execute-claim');
    delete activity.value.action.verb;
    expect(toChatEvent(activity)).toMatchObject({ kind: 'unsupported' });
    activity.value.action.verb = 'card.refresh';
    expect(toChatEvent(activity)).toMatchObject({ kind: 'unsupported', reason: 'card refresh' });
  });

  it('turns "File IT ticket" on a message into a ticket reaction for that message and its author', () => {
    expect(toChatEvent(fixture('message-action-file-ticket'))).toMatchObject({
      kind: 'reaction',
      emoji: 'ticket',
      sender: { userId: '0b0e6a4e-4444-4a4a-9c9c-0d0a0a0a0004' },
      target: {
        messageId: '1732600000700',
        text: 'Projector in room 4.12 shows no signal\n\nUrgent for the board meeting',
        author: {
          platform: 'teams',
          tenant: TENANT,
          userId: '0b0e6a4e-5555-4a4a-9c9c-0d0a0a0a0005',
          displayName: 'Lea Brandt',
        },
      },
    });
  });

  it('returns unsupported instead of throwing for unknown or broken activities', () => {
    expect(
      toChatEvent({
        type: 'typing',
        id: '1',
        from: { id: 'x', name: '' },
        conversation: { id: 'c' } as any,
        serviceUrl: 'u',
      }),
    ).toEqual({
      kind: 'unsupported',
      reason: 'activity type typing',
    });
    expect(toChatEvent({ type: 'message' })).toMatchObject({ kind: 'unsupported' });
    const fromBot = fixture('personal-message');
    fromBot.from = { id: '28:another-bot', name: 'Other bot' };
    expect(toChatEvent(fromBot)).toMatchObject({ kind: 'unsupported', reason: 'message from a bot' });
  });

  it('round-trips reply chain conversation ids', () => {
    expect(splitConversationId('19:a@thread.tacv2;messageid=42')).toEqual({
      channel: '19:a@thread.tacv2',
      thread: '42',
    });
    expect(conversationIdFor({ channel: '19:a@thread.tacv2', thread: '42' })).toBe(
      '19:a@thread.tacv2;messageid=42',
    );
    expect(conversationIdFor({ channel: 'a:personal' })).toBe('a:personal');
  });
});
