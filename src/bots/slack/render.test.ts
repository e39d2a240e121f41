import { describe, expect, it } from 'vitest';
import type { Card, Dialog } from '../../core/chat/chat.ts';
import { defuse, renderHome, renderMessage, renderModal } from './render.ts';

const ticketCard: Card = {
  kind: 'ticket',
  title: '#4 VPN will not connect',
  accent: 'danger',
  body: 'Certificate expired after the weekend',
  fields: [
    { label: 'Status', value: 'open' },
    { label: 'Priority', value: 'P2' },
  ],
  context: 'Requested by Alice · Network',
  actions: [
    { type: 'button', actionId: 'ticket.claim', label: 'Claim', value: '4', style: 'primary' },
    { type: 'user-select', actionId: 'ticket.assign', placeholder: 'Assign to…', value: '4' },
    {
      type: 'select',
      actionId: 'ticket.priority',
      placeholder: 'Priority',
      options: [
        { label: 'P1 — Critical', value: 'P1' },
        { label: 'P2 — High', value: 'P2' },
      ],
      selected: 'P2',
    },
    { type: 'button', actionId: 'ticket.close', label: 'Close', value: '4', style: 'danger' },
  ],
};

describe('neutral card → Block Kit', () => {
  it('renders header, body, fields, context and an actions row with styled buttons and selects', () => {
    const { text, blocks } = renderMessage({ text: 'Ticket #4', card: ticketCard });
    expect(text).toBe('Ticket #4');
    expect(blocks?.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context', 'actions']);
    expect(blocks?.[0]).toMatchObject({
      text: { type: 'plain_text', text: ':red_circle: #4 VPN will not connect' },
    });
    expect(blocks?.[2]).toMatchObject({
      fields: [{ type: 'mrkdwn', text: '*Status*\nopen' }, { text: '*Priority*\nP2' }],
    });
    const actions = blocks?.[4] as { elements: Array<Record<string, any>> };
    expect(actions.elements[0]).toMatchObject({
      type: 'button',
      action_id: 'ticket.claim',
      value: '4',
      style: 'primary',
    });
    expect(actions.elements[1]).toMatchObject({ type: 'users_select', action_id: 'ticket.assign|4' });
    expect(actions.elements[2]).toMatchObject({
      type: 'static_select',
      action_id: 'ticket.priority',
      initial_option: { value: 'P2' },
    });
    expect(actions.elements[2]?.options).toHaveLength(2);
    expect(actions.elements[3]).toMatchObject({ style: 'danger' });
  });

  it('makes repeated action ids unique, as Slack requires within one message', () => {
    const csat: Card = {
      kind: 'csat',
      title: 'How did we do?',
      actions: [1, 2, 3].map((n) => ({
        type: 'button' as const,
        actionId: 'csat.rate',
        label: String(n),
        value: `4:${n}`,
      })),
    };
    const actions = renderMessage({ text: 'Rate', card: csat }).blocks?.at(-1) as {
      elements: Array<{ action_id: string }>;
    };
    expect(actions.elements.map((e) => e.action_id)).toEqual(['csat.rate', 'csat.rate#2', 'csat.rate#3']);
  });

  it('keeps to Block Kit limits: more than ten fields split into two sections, long titles clipped', () => {
    const fields = Array.from({ length: 12 }, (_, i) => ({ label: `F${i}`, value: 'v' }));
    const { blocks } = renderMessage({ text: 't', card: { kind: 'x', title: 'T'.repeat(400), fields } });
    expect(blocks?.filter((b) => b.type === 'section')).toHaveLength(2);
    const header = blocks?.[0] as { text: { text: string } } | undefined;
    expect(header?.text.text.length).toBeLessThanOrEqual(150);
  });

  it('shows a card image as an image block after the body, described by its alt text', () => {
    const digest: Card = {
      kind: 'digest',
      title: 'Helpdesk digest · 2026-11-26',
      body: 'Tickets: 12 opened',
      imageUrl: 'https://helpdesk.example.com/charts/digest-2026-11-26-0123abcd.png',
      imageAlt: 'Tickets per day by priority, last 7 days. 2026-11-26: 3 (P1 1, P3 2)',
      context: '`stats 7d` for more',
    };
    const { blocks } = renderMessage({ text: 'digest', card: digest });
    expect(blocks?.map((b) => b.type)).toEqual(['header', 'section', 'image', 'context']);
    expect(blocks?.[2]).toEqual({
      type: 'image',
      image_url: digest.imageUrl,
      alt_text: digest.imageAlt,
    });
    const untitled = renderMessage({ text: 't', card: { ...digest, imageAlt: undefined } }).blocks?.[2];
    expect(untitled).toMatchObject({ alt_text: digest.title });
    const long = renderMessage({ text: 't', card: { ...digest, imageAlt: 'x'.repeat(5000) } }).blocks?.[2];
    expect((long as { alt_text: string }).alt_text.length).toBeLessThanOrEqual(2000);
  });

  it('adds no image block to a card without an image', () => {
    const { blocks } = renderMessage({ text: 'Ticket #4', card: ticketCard });
    expect(blocks?.some((b) => b.type === 'image')).toBe(false);
  });

  it('sends plain text when there is no card, with channel-wide pings defused', () => {
    expect(renderMessage({ text: 'hi <!channel> and <@U1>' })).toEqual({
      text: 'hi &lt;!channel> and <@U1>',
    });
    expect(defuse('<!here|here>')).toBe('&lt;!here|here>');
  });

  it('shows where a masked link really goes, in text and on cards', () => {
    const masked = 'please <https://evil.example/login|reset your password here> now';
    expect(renderMessage({ text: masked }).text).toBe(
      'please reset your password here (<https://evil.example/login>) now',
    );
    const { blocks } = renderMessage({ text: 'card', card: { ...ticketCard, body: masked } });
    expect(JSON.stringify(blocks)).toContain('reset your password here (<https://evil.example/login>)');
    expect(JSON.stringify(blocks)).not.toContain('|reset your password');
    expect(defuse('<https://example.com|https://example.com>')).toBe('<https://example.com>');
  });
});

describe('neutral dialog → modal, messages → App Home', () => {
  const dialog: Dialog = {
    callbackId: 'ticket.new.submit',
    title: 'New IT ticket with a very long title',
    submitLabel: 'File ticket',
    privateValue: '',
    inputs: [
      { id: 'title', label: 'Title' },
      { id: 'description', label: 'Description', multiline: true, optional: true },
      {
        id: 'category',
        label: 'Category',
        options: [{ label: 'Hardware', value: 'hardware' }],
        initial: 'hardware',
      },
    ],
  };

  it('renders inputs keyed by their ids, with the title clipped to 24 characters', () => {
    const view = renderModal(dialog, { platform: 'slack', tenant: 'T', channel: 'D1', isDirect: true });
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.callback_id).toBe('ticket.new.submit');
    expect(view.blocks).toMatchObject([
      {
        type: 'input',
        block_id: 'title',
        element: { type: 'plain_text_input', action_id: 'title', multiline: false },
      },
      { block_id: 'description', optional: true, element: { multiline: true } },
      {
        block_id: 'category',
        element: { type: 'static_select', action_id: 'category', initial_option: { value: 'hardware' } },
      },
    ]);
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ value: '', channel: 'D1', isDirect: true });
  });

  it('lays out App Home as cards separated by dividers and stops before 100 blocks', () => {
    const home = renderHome([{ text: 'My tickets' }, { text: 'x', card: ticketCard }]);
    expect(home.type).toBe('home');
    expect(home.blocks.map((b) => b.type)).toEqual([
      'section',
      'divider',
      'header',
      'section',
      'section',
      'context',
      'actions',
    ]);
    const many = renderHome(Array.from({ length: 40 }, () => ({ text: 'x', card: ticketCard })));
    expect(many.blocks.length).toBeLessThanOrEqual(100);
    expect(many.blocks.at(-1)?.type).toBe('context');
  });
});

describe('files on a card', () => {
  it('shows each file as a 📎 link with its detail; names are escaped and links never break the mrkdwn', () => {
    const { blocks } = renderMessage({
      text: 'Ticket #7',
      card: {
        kind: 'ticket',
        title: '#7 Excel freezes',
        files: [
          {
            name: 'budget <v2> & notes.png',
            url: 'https://acme.slack.com/files/U1/F1/budget.png',
            detail: 'image/png, 90 KB',
          },
          { name: 'a|b.txt', url: 'https://contoso.sharepoint.com/My Files/a|b>.txt' },
          { name: 'file' },
          { name: 'evil.png', url: 'javascript:alert(1)' },
        ],
      },
    });
    const section = blocks?.find(
      (b) => b.type === 'section' && 'text' in b && String(b.text?.text).includes('📎'),
    ) as { text: { text: string } } | undefined;
    expect(section?.text.text.split('\n')).toEqual([
      '📎 <https://acme.slack.com/files/U1/F1/budget.png|budget &lt;v2&gt; &amp; notes.png> (image/png, 90 KB)',
      '📎 <https://contoso.sharepoint.com/My%20Files/a%7Cb%3E.txt|a¦b.txt>',
      '📎 file',
      '📎 evil.png',
    ]);
  });
});
