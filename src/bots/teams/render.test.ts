import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Card, Dialog } from '../../core/chat/chat.ts';
import { mentionToken } from '../../core/chat/mention.ts';
import { renderCard, renderDialog, renderMessage } from './render.ts';

// The package's ESM build uses extensionless imports Node cannot resolve; its UMD build loads fine.
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js');

/**
 * Parses a card with the Adaptive Cards SDK and returns every warning or error it reported. The
 * people picker (`choices.data`) is a Teams extension the SDK only knows from schema 1.6, so its
 * validator sees an empty choice set there; that one message is expected and filtered out.
 */
const PEOPLE_PICKER = 'An Input.ChoiceSet must have at least one choice defined.';
function parseProblems(card: object, options: { peoplePicker?: boolean } = {}): string[] {
  const context = new AC.SerializationContext();
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  const validation = parsed
    .validateProperties()
    .validationEvents.map((event: { message: string }) => event.message);
  const picker = validation.indexOf(PEOPLE_PICKER);
  if (options.peoplePicker && picker >= 0) validation.splice(picker, 1);
  return [...problems, ...validation];
}

const ticketCard: Card = {
  kind: 'ticket',
  title: '#12 VPN does not connect',
  accent: 'warning',
  fields: [
    { label: 'Requester', value: 'Dana Fischer' },
    { label: 'Priority', value: 'P2' },
    { label: 'Assignee', value: '' },
  ],
  body: 'My laptop will not connect to the office VPN since this morning',
  context: 'Network · opened 09:10',
  actions: [
    { type: 'button', actionId: 'ticket.claim', label: 'Claim', value: '12', style: 'primary' },
    { type: 'button', actionId: 'ticket.close', label: 'Close', value: '12', style: 'danger' },
    {
      type: 'select',
      actionId: 'ticket.priority',
      placeholder: 'Priority',
      options: ['P1', 'P2', 'P3', 'P4'].map((p) => ({ label: p, value: p })),
      selected: 'P2',
    },
    { type: 'user-select', actionId: 'ticket.assign', placeholder: 'Assign to', value: '12' },
  ],
};

describe('renderCard', () => {
  it('renders a ticket card as a schema 1.5 Adaptive Card the SDK parses without problems', () => {
    const card = renderCard(ticketCard, 'Ticket #12');
    expect(card.version).toBe('1.5');
    expect(parseProblems(card, { peoplePicker: true })).toEqual([]);
  });

  it('turns buttons into Action.Execute with the action id as verb and the value in data', () => {
    const card = renderCard(ticketCard);
    expect(card.actions).toEqual([
      {
        type: 'Action.Execute',
        title: 'Claim',
        verb: 'ticket.claim',
        data: { value: '12' },
        style: 'positive',
        fallback: {
          type: 'Action.Submit',
          title: 'Claim',
          data: { value: '12', verb: 'ticket.claim' },
          style: 'positive',
        },
      },
      {
        type: 'Action.Execute',
        title: 'Close',
        verb: 'ticket.close',
        data: { value: '12' },
        style: 'destructive',
        fallback: {
          type: 'Action.Submit',
          title: 'Close',
          data: { value: '12', verb: 'ticket.close' },
          style: 'destructive',
        },
      },
    ]);
  });

  it('gives every Action.Execute an Action.Submit fallback whose data names the verb', () => {
    const card = renderCard(ticketCard);
    const body = card.body as Array<Record<string, any>>;
    const executes = [
      ...(card.actions as Array<Record<string, any>>),
      ...body.flatMap((element) => element.actions ?? []),
    ];
    expect(executes.map((action) => action.verb).sort()).toEqual([
      'ticket.assign',
      'ticket.claim',
      'ticket.close',
      'ticket.priority',
    ]);
    for (const action of executes) {
      expect(action.type).toBe('Action.Execute');
      expect(action.fallback).toEqual({
        type: 'Action.Submit',
        title: action.title,
        data: { ...action.data, verb: action.verb },
        ...(action.style ? { style: action.style } : {}),
      });
    }
    // The refresh action is never pressed by a user: no fallback.
    expect((card.refresh as any).action.fallback).toBeUndefined();
  });

  it('renders a select as a choice set with its own Execute naming the input that carries the choice', () => {
    const body = renderCard(ticketCard).body as Array<Record<string, any>>;
    const choice = body.find((element) => element.id === 'priority');
    expect(choice).toMatchObject({ type: 'Input.ChoiceSet', value: 'P2' });
    expect(choice?.choices).toHaveLength(4);
    const set = body[body.indexOf(choice!) + 1];
    expect(set).toEqual({
      type: 'ActionSet',
      actions: [
        {
          type: 'Action.Execute',
          title: 'Set',
          verb: 'ticket.priority',
          data: { input: 'priority' },
          fallback: {
            type: 'Action.Submit',
            title: 'Set',
            data: { input: 'priority', verb: 'ticket.priority' },
          },
        },
      ],
    });
  });

  it('renders a user select as a directory people picker with a text fallback', () => {
    const body = renderCard(ticketCard).body as Array<Record<string, any>>;
    const picker = body.find((element) => element.id === 'user');
    expect(picker).toMatchObject({
      type: 'Input.ChoiceSet',
      'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users?scope=currentContext' },
      fallback: { type: 'Input.Text', id: 'user' },
    });
  });

  it('offers an on-demand refresh without automatic refresh for every viewer', () => {
    expect(renderCard(ticketCard).refresh).toEqual({
      action: { type: 'Action.Execute', title: 'Refresh', verb: 'card.refresh' },
      userIds: [],
    });
  });

  it('shows a card image as a full-width Image element after the body, with its alt text', () => {
    const digest: Card = {
      kind: 'digest',
      title: 'Helpdesk digest · 2026-11-26',
      body: 'Tickets: 12 opened',
      imageUrl: 'https://helpdesk.example.com/charts/digest-2026-11-26-0123abcd.png',
      imageAlt: 'Tickets per day by priority, last 7 days. 2026-11-26: 3 (P1 1, P3 2)',
      context: '`stats 7d` for more',
    };
    const card = renderCard(digest, 'digest');
    expect(parseProblems(card)).toEqual([]);
    const bodyOf = (c: object) => (c as { body: Array<Record<string, unknown>> }).body;
    expect(bodyOf(card).map((element) => element.type)).toEqual([
      'TextBlock',
      'TextBlock',
      'Image',
      'TextBlock',
    ]);
    expect(bodyOf(card)[2]).toEqual({
      type: 'Image',
      url: digest.imageUrl,
      altText: digest.imageAlt,
      size: 'Stretch',
    });
    expect(bodyOf(renderCard({ ...digest, imageAlt: undefined }))[2]).toMatchObject({
      altText: digest.title,
    });
    expect(bodyOf(renderCard(ticketCard)).some((element) => element.type === 'Image')).toBe(false);
  });

  it('renders a card with only a title', () => {
    const card = renderCard({ kind: 'csat', title: 'How did we do?' });
    expect(parseProblems(card)).toEqual([]);
    expect(card.actions).toBeUndefined();
  });
});

describe('renderMessage', () => {
  it('sends plain text when there is no card', () => {
    expect(renderMessage({ text: 'Thanks, ticket #12 is filed.' })).toEqual({
      type: 'message',
      text: 'Thanks, ticket #12 is filed.',
    });
  });

  it('attaches the card and keeps the text as its fallback', () => {
    const message = renderMessage({ text: 'Ticket #12', card: ticketCard });
    expect(message.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(message.attachments?.[0]?.content.fallbackText).toBe('Ticket #12');
  });
});

describe('mentions', () => {
  const ALEX_ID = '0b0e6a4e-4444-4a4a-9c9c-0d0a0a0a0004';
  const alex = mentionToken('teams', ALEX_ID, 'Alex Agent');
  const alexEntity = {
    type: 'mention',
    text: '<at>Alex Agent</at>',
    mentioned: { id: ALEX_ID, name: 'Alex Agent' },
  };

  it('writes a Teams mention as <at>Name</at> with a mention entity naming the user id', () => {
    expect(renderMessage({ text: `👉 Dana assigned #12 to ${alex}.` })).toEqual({
      type: 'message',
      text: '👉 Dana assigned #12 to <at>Alex Agent</at>.',
      entities: [alexEntity],
    });
  });

  it('gives each person one entity however often they are mentioned, and one per person', () => {
    const sam = mentionToken('teams', '29:1sam', 'Sam');
    const message = renderMessage({ text: `${alex} ${sam} and again ${alex}` });
    expect(message.text).toBe('<at>Alex Agent</at> <at>Sam</at> and again <at>Alex Agent</at>');
    expect(message.entities).toEqual([
      alexEntity,
      { type: 'mention', text: '<at>Sam</at>', mentioned: { id: '29:1sam', name: 'Sam' } },
    ]);
  });

  it('leaves text without mentions (and Slack-style <@U123>) as it is, with no entities', () => {
    const message = renderMessage({ text: 'ask <@U0ALEX> about it' });
    expect(message).toEqual({ type: 'message', text: 'ask <@U0ALEX> about it' });
  });

  it('puts card mentions in the card text and under msteams.entities, and keeps the fallback plain', () => {
    const card: Card = {
      kind: 'alert',
      title: 'Escalation level 3',
      fields: [{ label: 'On call', value: alex }],
      body: `${alex}, #12 needs an admin.`,
    };
    const content = renderMessage({ text: `#12 needs an admin. ${alex}`, card }).attachments?.[0]?.content;
    expect(content?.body).toContainEqual({
      type: 'TextBlock',
      text: '<at>Alex Agent</at>, #12 needs an admin.',
      wrap: true,
    });
    expect(content?.body).toContainEqual({
      type: 'FactSet',
      facts: [{ title: 'On call', value: '<at>Alex Agent</at>' }],
    });
    expect(content?.msteams).toEqual({ width: 'Full', entities: [alexEntity] });
    expect(content?.fallbackText).toBe('#12 needs an admin. @Alex Agent');
    expect(parseProblems(content!)).toEqual([]);
  });

  it('adds no msteams.entities to a card without mentions', () => {
    expect(renderCard(ticketCard).msteams).toEqual({ width: 'Full' });
  });
});

describe('renderDialog', () => {
  const dialog: Dialog = {
    callbackId: 'ticket.resolve.submit',
    title: 'Resolve #12',
    submitLabel: 'Resolve',
    privateValue: '12',
    inputs: [
      { id: 'note', label: 'Resolution note', multiline: true },
      {
        id: 'category',
        label: 'Category',
        optional: true,
        options: [{ label: 'Network', value: 'network' }],
      },
    ],
  };

  it("lists a card's files as links (name only when there is no http link) and still parses cleanly", () => {
    const card = renderCard({
      ...ticketCard,
      files: [
        {
          name: 'vpn-error.log',
          url: 'https://contoso.sharepoint.com/personal/li/Documents/vpn-error.log',
          detail: 'text/plain',
        },
        { name: 'image', url: 'https://eu-api.asm.skype.com/v1/objects/0-weu-d1-4b6d/views/imgo' },
        { name: 'no [link]' },
      ],
    });
    const text = JSON.stringify(card.body);
    expect(text).toContain(
      '📎 [vpn-error.log](https://contoso.sharepoint.com/personal/li/Documents/vpn-error.log) (text/plain)',
    );
    expect(text).toContain('📎 [image](https://eu-api.asm.skype.com/v1/objects/0-weu-d1-4b6d/views/imgo)');
    expect(text).toContain('📎 no link');
    expect(parseProblems(card, { peoplePicker: true })).toEqual([]);
  });

  it("turns a person token the adapter wrote from a user's mention, echoed back, into a real mention", () => {
    const rendered = renderMessage({ text: 'On-call is now <@29:1LiWei|Li Wei>.' });
    expect(rendered.text).toBe('On-call is now <at>Li Wei</at>.');
    expect(rendered.entities).toEqual([
      { type: 'mention', text: '<at>Li Wei</at>', mentioned: { id: '29:1LiWei', name: 'Li Wei' } },
    ]);
  });

  it('renders a dialog as a form card whose submit executes the callback with the private value', () => {
    const content = renderDialog(dialog).attachments![0]!.content;
    expect(parseProblems(content)).toEqual([]);
    expect(content.actions).toEqual([
      {
        type: 'Action.Execute',
        title: 'Resolve',
        verb: 'ticket.resolve.submit',
        style: 'positive',
        data: { value: '12' },
        fallback: {
          type: 'Action.Submit',
          title: 'Resolve',
          style: 'positive',
          data: { value: '12', verb: 'ticket.resolve.submit' },
        },
      },
    ]);
    expect(content.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Input.Text', id: 'note', isRequired: true, isMultiline: true }),
        expect.objectContaining({ type: 'Input.ChoiceSet', id: 'category', isRequired: false }),
      ]),
    );
  });
});
