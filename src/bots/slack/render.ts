import type {
  ActionsBlock,
  ActionsBlockElement,
  HomeView,
  InputBlock,
  KnownBlock,
  ModalView,
  PlainTextElement,
  PlainTextOption,
} from '@slack/types';
import type { Card, CardAction, ConversationRef, Dialog, OutMessage } from '../../core/chat/chat.ts';
import { ACTION_VALUE_SEPARATOR, type ModalMetadata } from './to-chat-event.ts';

/** Block Kit's documented limits; Slack rejects the whole message (invalid_blocks) past any of them. */
const LIMIT = {
  header: 150,
  altText: 2000,
  section: 3000,
  field: 2000,
  fieldsPerSection: 10,
  elementsPerActions: 25,
  buttonText: 75,
  value: 2000,
  actionId: 255,
  options: 100,
  optionText: 75,
  placeholder: 150,
  modalTitle: 24,
  label: 2000,
  metadata: 3000,
  blocks: 50,
  homeBlocks: 100,
  fallbackText: 3000,
} as const;

const ACCENT_PREFIX: Record<NonNullable<Card['accent']>, string> = {
  info: '',
  good: ':large_green_circle: ',
  warning: ':large_orange_circle: ',
  danger: ':red_circle: ',
};

export interface SlackMessage {
  text: string;
  blocks?: KnownBlock[] | undefined;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Text from another platform (or typed into a card) must not ping a whole channel: Slack's
 * `<!here>`-style broadcasts are defused; ordinary mrkdwn and user mentions are kept.
 */
export function defuse(text: string): string {
  return (
    text
      .replace(/<!(here|channel|everyone|subteam)/gi, '&lt;!$1')
      // A masked link (`<https://evil.example|reset your password>`) shows where it really goes.
      .replace(/<((?:https?|mailto):[^|>\s]+)\|([^>]*)>/gi, (_link, url: string, label: string) =>
        label.trim() && label.trim() !== url ? `${label} (<${url}>)` : `<${url}>`,
      )
  );
}

/**
 * A URL inside `<url|label>`: a space, `|`, `<` or `>` in it (a Teams file name in a SharePoint
 * link, say) would end the link early or swallow the label, so those are percent-encoded.
 */
function linkTarget(url: string): string {
  return url.replace(/[\s|<>]/g, (c) => encodeURIComponent(c));
}

/** Text shown as-is in mrkdwn: Slack's three control characters escaped. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function plain(text: string, max: number): PlainTextElement {
  return { type: 'plain_text', text: clip(text || ' ', max), emoji: true };
}

function option(label: string, value: string): PlainTextOption {
  return { text: plain(label, LIMIT.optionText), value: clip(value, LIMIT.value) };
}

/** Slack wants action ids unique within a message; the neutral value of a select rides in the id. */
function actionElements(actions: CardAction[]): ActionsBlockElement[] {
  const seen = new Set<string>();
  const unique = (id: string): string => {
    let candidate = clip(id, LIMIT.actionId - 4);
    for (let n = 2; seen.has(candidate); n++) candidate = `${clip(id, LIMIT.actionId - 4)}#${n}`;
    seen.add(candidate);
    return candidate;
  };
  return actions.slice(0, LIMIT.elementsPerActions).map((action): ActionsBlockElement => {
    switch (action.type) {
      case 'button':
        return {
          type: 'button',
          action_id: unique(action.actionId),
          text: plain(action.label, LIMIT.buttonText),
          value: clip(action.value, LIMIT.value),
          ...(action.style ? { style: action.style } : {}),
        };
      case 'select': {
        const options = action.options.slice(0, LIMIT.options).map((o) => option(o.label, o.value));
        const initial = options.find((o) => o.value === action.selected);
        // Core may attach the ticket id to a select (not in every card); carry it when present.
        const value = (action as { value?: string }).value;
        const id = value ? `${action.actionId}${ACTION_VALUE_SEPARATOR}${value}` : action.actionId;
        return {
          type: 'static_select',
          action_id: unique(id),
          placeholder: plain(action.placeholder, LIMIT.placeholder),
          options,
          ...(initial ? { initial_option: initial } : {}),
        };
      }
      default:
        return {
          type: 'users_select',
          action_id: unique(`${action.actionId}${ACTION_VALUE_SEPARATOR}${action.value}`),
          placeholder: plain(action.placeholder, LIMIT.placeholder),
        };
    }
  });
}

/** One neutral card as Block Kit: header, body, fields, image, context line and an actions row. */
export function cardBlocks(card: Card): KnownBlock[] {
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: plain(`${card.accent ? ACCENT_PREFIX[card.accent] : ''}${card.title}`, LIMIT.header),
    },
  ];
  if (card.body) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(defuse(card.body), LIMIT.section) } });
  }
  const fields = card.fields ?? [];
  for (let i = 0; i < fields.length; i += LIMIT.fieldsPerSection) {
    blocks.push({
      type: 'section',
      fields: fields.slice(i, i + LIMIT.fieldsPerSection).map((field) => ({
        type: 'mrkdwn',
        text: clip(`*${field.label}*\n${defuse(field.value) || '—'}`, LIMIT.field),
      })),
    });
  }
  if (card.files?.length) {
    const lines = card.files.map((file) => {
      const name = escapeMrkdwn(file.name.replace(/\|/g, '¦'));
      const link = file.url && /^https?:\/\//i.test(file.url) ? `<${linkTarget(file.url)}|${name}>` : name;
      return `📎 ${link}${file.detail ? ` (${escapeMrkdwn(file.detail)})` : ''}`;
    });
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(lines.join('\n'), LIMIT.section) } });
  }
  if (card.imageUrl)
    blocks.push({
      type: 'image',
      image_url: card.imageUrl,
      alt_text: clip(card.imageAlt || card.title, LIMIT.altText),
    });
  if (card.context) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: clip(defuse(card.context), LIMIT.section) }],
    });
  }
  if (card.actions && card.actions.length > 0) {
    const actions: ActionsBlock = {
      type: 'actions',
      block_id: clip(`${card.kind}-actions`, 255),
      elements: actionElements(card.actions),
    };
    blocks.push(actions);
  }
  return blocks;
}

/** A neutral message for chat.postMessage / chat.update / ephemeral: fallback text plus blocks. */
export function renderMessage(message: OutMessage): SlackMessage {
  const text = clip(defuse(message.text), LIMIT.fallbackText);
  if (!message.card) return { text };
  return { text, blocks: cardBlocks(message.card).slice(0, LIMIT.blocks) };
}

function inputBlock(input: Dialog['inputs'][number]): InputBlock {
  const label = plain(input.label, LIMIT.label);
  if (input.options && input.options.length > 0) {
    const options = input.options.slice(0, LIMIT.options).map((o) => option(o.label, o.value));
    const initial = options.find((o) => o.value === input.initial);
    return {
      type: 'input',
      block_id: input.id,
      label,
      optional: input.optional === true,
      element: {
        type: 'static_select',
        action_id: input.id,
        options,
        ...(initial ? { initial_option: initial } : {}),
      },
    };
  }
  return {
    type: 'input',
    block_id: input.id,
    label,
    optional: input.optional === true,
    element: {
      type: 'plain_text_input',
      action_id: input.id,
      multiline: input.multiline === true,
      ...(input.initial ? { initial_value: input.initial } : {}),
    },
  };
}

/**
 * A neutral dialog as a modal. The conversation it was opened from rides in private_metadata
 * next to core's value, so the submission can answer where the person asked.
 */
export function renderModal(dialog: Dialog, from?: ConversationRef): ModalView {
  const metadata: ModalMetadata = { value: dialog.privateValue };
  if (from && from.channel !== '') {
    metadata.channel = from.channel;
    if (from.thread) metadata.thread = from.thread;
    if (from.isDirect !== undefined) metadata.isDirect = from.isDirect;
    const responseUrl = from.data?.responseUrl;
    if (typeof responseUrl === 'string') metadata.responseUrl = responseUrl;
  }
  let privateMetadata = JSON.stringify(metadata);
  if (privateMetadata.length > LIMIT.metadata)
    privateMetadata = JSON.stringify({ value: dialog.privateValue });
  return {
    type: 'modal',
    callback_id: clip(dialog.callbackId, 255),
    title: plain(dialog.title, LIMIT.modalTitle),
    submit: plain(dialog.submitLabel, LIMIT.modalTitle),
    close: plain('Cancel', LIMIT.modalTitle),
    private_metadata: privateMetadata,
    blocks: dialog.inputs.slice(0, LIMIT.blocks).map(inputBlock),
  };
}

/** The App Home tab: each message as a card (or a text section), separated by dividers. */
export function renderHome(messages: OutMessage[]): HomeView {
  const blocks: KnownBlock[] = [];
  for (const message of messages) {
    const next = message.card
      ? cardBlocks(message.card)
      : [
          {
            type: 'section',
            text: { type: 'mrkdwn', text: clip(defuse(message.text), LIMIT.section) },
          } as const,
        ];
    // Keep one slot for the "more" note; a half-rendered card is worse than none.
    if (blocks.length + next.length + 2 > LIMIT.homeBlocks) {
      blocks.push({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: '…more in `/helpdesk mine` and `/helpdesk queue`' }],
      });
      break;
    }
    if (blocks.length > 0) blocks.push({ type: 'divider' });
    blocks.push(...next);
  }
  return { type: 'home', blocks };
}
