import type { Card, CardAction, Dialog, OutMessage } from '../../core/chat/chat.ts';
import { plainMentions, replaceMentions } from '../../core/chat/mention.ts';
import { REFRESH_VERB, SUBMIT_VERB_KEY } from './to-chat-event.ts';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** An Adaptive Card as JSON (schema 1.5, Universal Actions). */
export type AdaptiveCardJson = { type: 'AdaptiveCard'; version: '1.5'; [key: string]: unknown };
type Element = Record<string, unknown>;

/** A Bot Framework mention: `text` appears verbatim in the message or card, `mentioned.id` is who. */
export interface MentionEntity {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

/** The message activity fields for one neutral message (text always, card when there is one). */
export interface RenderedMessage {
  type: 'message';
  text: string;
  attachments?: Array<{ contentType: string; content: AdaptiveCardJson }>;
  entities?: MentionEntity[];
}

/** A Teams user id (`29:…`, `8:orgid:…`) in the mention token the adapter writes for people. */
const TEAMS_USER_TOKEN = /<@((?:29|8:orgid):[^|<>\s]+)\|([^<>]*)>/g;

const CONTAINER_STYLE = { info: 'accent', good: 'good', warning: 'warning', danger: 'attention' } as const;

/** Renders a neutral message as a Teams message activity with an Adaptive Card attachment. */
export function renderMessage(message: OutMessage): RenderedMessage {
  if (!message.card) {
    const mentions = teamsMentions();
    const text = mentions.write(message.text);
    return { type: 'message', text, ...(mentions.entities.length ? { entities: mentions.entities } : {}) };
  }
  return {
    type: 'message',
    // Teams shows `text` above the card; the card carries the content, the text feeds notifications.
    text: '',
    attachments: [
      { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: renderCard(message.card, message.text) },
    ],
  };
}

/**
 * Collects the mentions of one message or card: each Teams token becomes `<at>Name</at>` plus an
 * entity naming the id core stores (the Entra object id, which Teams accepts as `mentioned.id`).
 * A token for another platform cannot notify anyone here, so it is written as `@Name`.
 */
function teamsMentions() {
  const entities: MentionEntity[] = [];
  return {
    entities,
    write(text: string): string {
      const mention = (userId: string, name: string) => {
        const tag = `<at>${name}</at>`;
        if (!entities.some((e) => e.text === tag && e.mentioned.id === userId))
          entities.push({ type: 'mention', text: tag, mentioned: { id: userId, name } });
        return tag;
      };
      // A person as the adapter wrote them from a user's own mention (`<@29:…|Name>`), echoed back
      // by core (`On-call is now <@29:…|Li Wei>`): a real mention too, never the raw token.
      const echoed = text.replace(TEAMS_USER_TOKEN, (_token, userId: string, name: string) =>
        mention(userId, name.trim() || userId),
      );
      return replaceMentions(echoed, ({ platform, userId, name }) =>
        platform === 'teams' ? mention(userId, name) : `@${name}`,
      );
    },
  };
}

/**
 * Renders a neutral card. Buttons become `Action.Execute` (verb = action id, data.value = value), so
 * a press arrives as an `adaptiveCard/action` invoke and the card can be replaced for everyone;
 * each has an `Action.Submit` fallback for clients without Universal Actions.
 */
export function renderCard(card: Card, fallbackText?: string): AdaptiveCardJson {
  // Mentions in a card are `<at>` tags in its text plus entities under `msteams.entities`.
  const mentions = teamsMentions();
  const at = mentions.write;
  const fallback = fallbackText ? plainMentions(fallbackText) : undefined;
  const body: Element[] = [];
  const header: Element[] = [
    {
      type: 'TextBlock',
      text: at(card.title),
      weight: 'Bolder',
      size: 'Medium',
      wrap: true,
      style: 'heading',
    },
  ];
  body.push(
    card.accent
      ? { type: 'Container', style: CONTAINER_STYLE[card.accent], bleed: true, items: header }
      : header[0]!,
  );
  if (card.fields?.length) {
    body.push({
      type: 'FactSet',
      facts: card.fields.map((field) => ({ title: field.label, value: at(field.value) || '-' })),
    });
  }
  if (card.body) body.push({ type: 'TextBlock', text: at(card.body), wrap: true });
  if (card.files?.length) {
    const lines = card.files.map((file) => {
      const name = file.name.replace(/[[\]]/g, '');
      const link =
        file.url && /^https?:\/\//i.test(file.url) ? `[${name}](${file.url.replace(/\)/g, '%29')})` : name;
      return `📎 ${link}${file.detail ? ` (${file.detail})` : ''}`;
    });
    body.push({ type: 'TextBlock', text: lines.join('\n\n'), wrap: true });
  }
  if (card.imageUrl)
    body.push({ type: 'Image', url: card.imageUrl, altText: card.imageAlt || card.title, size: 'Stretch' });

  const buttons: Element[] = [];
  for (const action of card.actions ?? []) {
    if (action.type === 'button') buttons.push(button(action));
    else body.push(...inputWithButton(action));
  }
  if (card.context)
    body.push({ type: 'TextBlock', text: at(card.context), isSubtle: true, size: 'Small', wrap: true });

  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    ...(fallback ? { fallbackText: fallback, speak: fallback } : {}),
    // `userIds: []` offers "Refresh card" on demand without every viewer's client invoking the bot;
    // updates for everyone go through updateActivity when the ticket changes.
    refresh: { action: { type: 'Action.Execute', title: 'Refresh', verb: REFRESH_VERB }, userIds: [] },
    msteams: { width: 'Full', ...(mentions.entities.length ? { entities: mentions.entities } : {}) },
    body,
    ...(buttons.length > 0 ? { actions: buttons } : {}),
  };
}

/** The field a select's choice travels in: `ticket.priority` → `priority`; user pickers use `user`. */
export function inputIdFor(action: Exclude<CardAction, { type: 'button' }>): string {
  if (action.type === 'user-select') return 'user';
  return action.actionId.split('.').pop() || action.actionId;
}

/**
 * An `Action.Execute` with an `Action.Submit` fallback, as Teams asks for clients without Universal
 * Actions: the fallback's data carries the verb (`data.verb`), so its press (a message activity
 * whose `value` is that data plus the inputs) is mapped back to the same action.
 */
function execute(title: string, verb: string, data: Record<string, unknown>, extra: Element = {}): Element {
  return {
    type: 'Action.Execute',
    title,
    verb,
    data,
    ...extra,
    fallback: { type: 'Action.Submit', title, data: { ...data, [SUBMIT_VERB_KEY]: verb }, ...extra },
  };
}

function button(action: Extract<CardAction, { type: 'button' }>): Element {
  return execute(
    action.label,
    action.actionId,
    { value: action.value },
    action.style === 'primary'
      ? { style: 'positive' }
      : action.style === 'danger'
        ? { style: 'destructive' }
        : {},
  );
}

/**
 * Adaptive Cards have no "act on change" select, so each select is an input followed by its own
 * Execute button; the chosen option becomes the action's value (as on Slack) and is also in inputs.
 */
function inputWithButton(action: Exclude<CardAction, { type: 'button' }>): Element[] {
  const id = inputIdFor(action);
  if (action.type === 'select') {
    return [
      {
        type: 'Input.ChoiceSet',
        id,
        label: action.placeholder,
        placeholder: action.placeholder,
        choices: action.options.map((option) => ({ title: option.label, value: option.value })),
        ...(action.selected ? { value: action.selected } : {}),
      },
      actionSet(execute('Set', action.actionId, { input: id })),
    ];
  }
  // Teams' people picker over the members of this conversation (the triage channel's agents); its
  // values are Entra object ids, the ids core keys Teams users on. Clients without it fall back to
  // a plain text box for a name or e-mail.
  return [
    {
      type: 'Input.ChoiceSet',
      id,
      label: action.placeholder,
      placeholder: action.placeholder,
      style: 'filtered',
      choices: [],
      'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users?scope=currentContext' },
      fallback: { type: 'Input.Text', id, label: action.placeholder, placeholder: 'Name or e-mail' },
    },
    actionSet(execute(action.placeholder, action.actionId, { value: action.value })),
  ];
}

function actionSet(action: Element): Element {
  return { type: 'ActionSet', actions: [action] };
}

/**
 * Renders a dialog as a form card posted into the conversation (Teams task modules would need a
 * fetch round trip the outbox cannot make); submitting it is an Execute with verb = callbackId.
 */
export function renderDialog(dialog: Dialog): RenderedMessage {
  const body: Element[] = [
    { type: 'TextBlock', text: dialog.title, weight: 'Bolder', size: 'Medium', wrap: true },
  ];
  for (const input of dialog.inputs) {
    const common = { id: input.id, label: input.label, isRequired: !input.optional };
    const requiredMessage = input.optional ? {} : { errorMessage: `${input.label} is required` };
    if (input.options?.length) {
      body.push({
        type: 'Input.ChoiceSet',
        ...common,
        ...requiredMessage,
        choices: input.options.map((option) => ({ title: option.label, value: option.value })),
        ...(input.initial ? { value: input.initial } : {}),
      });
    } else {
      body.push({
        type: 'Input.Text',
        ...common,
        ...requiredMessage,
        isMultiline: input.multiline === true,
        ...(input.initial ? { value: input.initial } : {}),
      });
    }
  }
  const content: AdaptiveCardJson = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    fallbackText: dialog.title,
    body,
    actions: [
      execute(dialog.submitLabel, dialog.callbackId, { value: dialog.privateValue }, { style: 'positive' }),
    ],
  };
  return { type: 'message', text: '', attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content }] };
}
