import type { Activity, ChannelAccount, ConversationAccount } from 'botbuilder';
import type { ChatEvent, ChatUser, ConversationRef } from '../../core/chat/chat.ts';
import { htmlToText, mentionsBot, readAttachments, readText } from './message-parts.ts';

/** What an inbound activity becomes: one neutral event, or a reason it is not one. */
export type TeamsInbound = ChatEvent | { kind: 'unsupported'; reason: string };

/** The verb of the `refresh` action on rendered cards; answered by the adapter, never recorded. */
export const REFRESH_VERB = 'card.refresh';
/**
 * The key of `data` that names the action (the verb) in the `Action.Submit` fallback of our
 * `Action.Execute` buttons: a press on it arrives as a message whose `value` is that data.
 */
export const SUBMIT_VERB_KEY = 'verb';
/** The message extension command id in the manifest ("File IT ticket" on a message). */
export const FILE_TICKET_COMMAND = 'fileTicket';
/** The emoji name the reaction use case understands as "file this message as a ticket". */
export const TICKET_EMOJI = 'ticket';

const THREAD_MARKER = ';messageid=';
const COMMAND = /^\/?helpdesk\b\s*([\s\S]*)$/i;

/**
 * The stored half of a Bot Framework conversation reference: enough to post into the conversation
 * later from any process (the service URL differs per region and tenant).
 */
export interface StoredReference {
  channelId: string;
  serviceUrl: string;
  bot: { id: string; name?: string | undefined };
  conversation: {
    id: string;
    conversationType?: string | undefined;
    isGroup?: boolean | undefined;
    tenantId?: string | undefined;
  };
  locale?: string | undefined;
}

type Inbound = Partial<Activity>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Why a body is not a Bot Framework activity as the schema defines it (the fields the SDK and the
 * conversion read without checking), or undefined when it is one. Refused with 400: nothing in it
 * can be recorded, and a 500 would only bring the same body back.
 */
export function malformedActivity(body: unknown): string | undefined {
  if (!isObject(body)) return 'not an object';
  if (typeof body.type !== 'string') return 'no type';
  for (const field of ['id', 'serviceUrl', 'channelId', 'text', 'name', 'replyToId'] as const) {
    const value = body[field];
    if (value !== undefined && value !== null && typeof value !== 'string') return `${field} is not a string`;
  }
  for (const field of ['from', 'conversation'] as const) {
    const account = body[field];
    if (!isObject(account) || typeof account.id !== 'string') return `${field} without an id`;
  }
  if (body.recipient !== undefined && body.recipient !== null && !isObject(body.recipient))
    return 'recipient is not an object';
  for (const field of ['entities', 'attachments', 'membersAdded', 'membersRemoved'] as const) {
    const value = body[field];
    if (value !== undefined && value !== null && !Array.isArray(value)) return `${field} is not a list`;
  }
  return undefined;
}

/** Converts a Teams activity into a neutral ChatEvent; unknown shapes come back as `unsupported`. */
export function toChatEvent(activity: Inbound): TeamsInbound {
  if (!activity.id) return unsupported('activity without id');
  if (!activity.from?.id || !activity.conversation?.id) {
    return unsupported('activity without sender or conversation');
  }
  // A removal may come without a serviceUrl (nothing can be sent there any more); all else needs one.
  if (!activity.serviceUrl && !isRemoval(activity)) return unsupported('activity without serviceUrl');
  switch (activity.type) {
    case 'message':
      return fromMessage(activity);
    case 'conversationUpdate':
      return fromConversationUpdate(activity);
    case 'installationUpdate':
      return fromInstallationUpdate(activity);
    case 'invoke':
      return fromInvoke(activity);
    default:
      // typing, messageReaction (Teams has like/heart/…, no 🎫), messageUpdate, messageDelete, event…
      return unsupported(`activity type ${activity.type ?? 'none'}`);
  }
}

function fromMessage(activity: Inbound): TeamsInbound {
  if (isBotAccount(activity.from!)) return unsupported('message from a bot');
  // An Action.Submit press arrives as a message with `value` (its data plus the inputs): ours (the
  // fallback of an Action.Execute) names the verb in it.
  if (isRecord(activity.value) && SUBMIT_VERB_KEY in activity.value)
    return fromSubmit(activity, activity.value);
  const base = baseOf(activity);
  const text = readText(activity);
  const attachments = readAttachments(activity);
  // Any other Action.Submit (a message with only `value`) is not something we render.
  if (text === '' && attachments.length === 0) return unsupported('empty message');
  const command = COMMAND.exec(text);
  if (command) return { kind: 'command', ...base, text: (command[1] ?? '').trim() };
  return {
    kind: 'message',
    ...base,
    text,
    messageId: activity.id!,
    isDirect: base.conversation.isDirect === true,
    mentionsBot: mentionsBot(activity),
    ...(attachments.length > 0 ? { attachments } : {}),
  };
}

/** The bot added (installed, welcome) or removed (uninstalled); anything else about others is ignored. */
function fromConversationUpdate(activity: Inbound): TeamsInbound {
  const botId = activity.recipient?.id;
  if (botId && (activity.membersAdded ?? []).some((member) => member.id === botId)) {
    return { kind: 'installed', ...baseOf(activity) };
  }
  if (isRemoval(activity)) {
    return {
      kind: 'uninstalled',
      ...baseOf(activity),
      scope: 'conversation',
      reason: 'conversationUpdate membersRemoved',
    };
  }
  return unsupported('conversationUpdate not about the bot');
}

const INSTALL_ACTIONS = new Set(['add', 'add-upgrade']);

function fromInstallationUpdate(activity: Inbound): TeamsInbound {
  const action = (activity as { action?: string }).action ?? '';
  if (INSTALL_ACTIONS.has(action)) return { kind: 'installed', ...baseOf(activity) };
  if (isRemoval(activity)) {
    return {
      kind: 'uninstalled',
      ...baseOf(activity),
      scope: 'conversation',
      reason: `installationUpdate ${action}`,
    };
  }
  return unsupported(`installationUpdate ${action || 'without action'}`);
}

const REMOVE_ACTIONS = new Set(['remove', 'remove-upgrade']);

/** The bot uninstalled from, or removed as a member of, this conversation. */
function isRemoval(activity: Inbound): boolean {
  if (activity.type === 'installationUpdate') {
    return REMOVE_ACTIONS.has((activity as { action?: string }).action ?? '');
  }
  const botId = activity.recipient?.id;
  return (
    activity.type === 'conversationUpdate' &&
    botId !== undefined &&
    (activity.membersRemoved ?? []).some((member) => member.id === botId)
  );
}

function fromInvoke(activity: Inbound): TeamsInbound {
  if (activity.name === 'adaptiveCard/action') return fromCardAction(activity);
  if (activity.name === 'composeExtension/submitAction') return fromMessageAction(activity);
  return unsupported(`invoke ${activity.name ?? 'without name'}`);
}

function fromCardAction(activity: Inbound): TeamsInbound {
  const action = (activity.value as { action?: { verb?: unknown; data?: unknown } } | undefined)?.action;
  const verb = typeof action?.verb === 'string' ? action.verb : '';
  if (verb === '') return unsupported('Action.Execute without a verb');
  if (verb === REFRESH_VERB) return unsupported('card refresh');
  return actionEvent(activity, verb, isRecord(action?.data) ? action.data : {}, {});
}

/**
 * The `Action.Submit` fallback of one of our buttons: the same action event as its invoke (the
 * verb from `data.verb`, the rest of `value` is the data and inputs), dedupe on the activity id.
 */
function fromSubmit(activity: Inbound, value: Record<string, unknown>): TeamsInbound {
  const verb = value[SUBMIT_VERB_KEY];
  if (typeof verb !== 'string' || verb === '') return unsupported('Action.Submit without our action id');
  if (verb === REFRESH_VERB) return unsupported('card refresh');
  const { [SUBMIT_VERB_KEY]: _verb, ...data } = value;
  // No HTTP response carries its private answer (a refusal): it is sent at once, to the presser.
  return actionEvent(activity, verb, data, { answeredInline: false });
}

function actionEvent(
  activity: Inbound,
  verb: string,
  data: Record<string, unknown>,
  extra: { answeredInline?: false },
): TeamsInbound {
  const inputs: Record<string, string> = {};
  for (const [key, raw] of Object.entries(data)) {
    if (key === 'value' || key === 'input' || key === 'msteams' || raw === undefined || raw === null)
      continue;
    inputs[key] = typeof raw === 'string' ? raw : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
  }
  // A select's chosen option is the action's value (as on Slack); `input` names the field holding it.
  const fromInput = typeof data.input === 'string' ? inputs[data.input] : undefined;
  if (typeof data.input === 'string') delete inputs[data.input];
  const value = fromInput ?? (data.value === undefined || data.value === null ? '' : String(data.value));
  const base = baseOf(activity);
  return {
    kind: 'action',
    ...base,
    actionId: verb,
    value,
    inputs: Object.keys(inputs).length > 0 ? inputs : undefined,
    messageId: activity.replyToId ?? undefined,
    ...extra,
  };
}

interface MessagePayload {
  id?: string;
  body?: { content?: string; contentType?: string };
  from?: { user?: { id?: string; displayName?: string } };
  attachments?: Array<{ contentType?: string; contentUrl?: string | null; name?: string | null }>;
}

function fromMessageAction(activity: Inbound): TeamsInbound {
  const value = activity.value as
    | { commandId?: string; data?: Record<string, unknown>; messagePayload?: MessagePayload }
    | undefined;
  if (value?.commandId !== FILE_TICKET_COMMAND) return unsupported(`message action ${value?.commandId}`);
  const payload = value.messagePayload;
  if (!payload?.id) return unsupported('message action without a message');
  const base = baseOf(activity);
  const body = payload.body?.content ?? '';
  const original = payload.body?.contentType === 'html' ? htmlToText(body) : body.trim();
  const note = typeof value.data?.details === 'string' ? value.data.details.trim() : '';
  const author = payload.from?.user?.id
    ? {
        platform: 'teams' as const,
        tenant: base.sender.tenant,
        userId: payload.from.user.id,
        displayName: payload.from.user.displayName,
      }
    : undefined;
  // Files on the message are `reference` attachments (their SharePoint link) in the payload.
  const attachments = (payload.attachments ?? [])
    .filter((file) => file.contentType === 'reference' && file.contentUrl)
    .map((file) => ({ name: file.name || 'file', url: file.contentUrl ?? undefined }));
  return {
    kind: 'reaction',
    ...base,
    emoji: TICKET_EMOJI,
    target: {
      messageId: payload.id,
      text: note ? `${original}\n\n${note}` : original,
      author,
      ...(attachments.length > 0 ? { attachments } : {}),
    },
  };
}

function baseOf(activity: Inbound) {
  const tenant = tenantOf(activity);
  return {
    platform: 'teams' as const,
    eventId: activity.id!,
    sender: {
      ...toChatUser(activity.from!, tenant),
      ...(activity.locale ? { locale: activity.locale } : {}),
    },
    conversation: conversationRefOf(activity, tenant),
  };
}

/**
 * aadObjectId is the same person across chats, so it is the id core keys people on; the `29:` id
 * the activity also carries is what mentions of them show, kept as an alias.
 */
function toChatUser(account: ChannelAccount, tenant: string): ChatUser {
  const extra = account as ChannelAccount & { email?: string; userPrincipalName?: string };
  const email = extra.email ?? (extra.userPrincipalName?.includes('@') ? extra.userPrincipalName : undefined);
  const userId = account.aadObjectId ?? account.id;
  return {
    platform: 'teams',
    tenant,
    userId,
    displayName: account.name || undefined,
    email,
    isBot: isBotAccount(account) ? true : undefined,
    ...(userId !== account.id ? { aliases: [account.id] } : {}),
  };
}

function isBotAccount(account: ChannelAccount): boolean {
  return account.role === 'bot' || account.id.startsWith('28:');
}

function tenantOf(activity: Inbound): string {
  const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
  return channelData?.tenant?.id ?? activity.conversation?.tenantId ?? '';
}

/** Splits `19:abc@thread.tacv2;messageid=123` into the channel and the reply chain it is in. */
export function splitConversationId(id: string): { channel: string; thread: string | undefined } {
  const at = id.indexOf(THREAD_MARKER);
  if (at < 0) return { channel: id, thread: undefined };
  return { channel: id.slice(0, at), thread: id.slice(at + THREAD_MARKER.length) || undefined };
}

/** The conversation id to post into: the reply chain when there is one, else the conversation. */
export function conversationIdFor(ref: Pick<ConversationRef, 'channel' | 'thread'>): string {
  return ref.thread ? `${ref.channel}${THREAD_MARKER}${ref.thread}` : ref.channel;
}

function conversationRefOf(activity: Inbound, tenant: string): ConversationRef {
  const conversation = activity.conversation as ConversationAccount;
  const { channel, thread } = splitConversationId(conversation.id);
  const type = conversation.conversationType;
  const isDirect = type === 'personal';
  // A top-level channel post starts its own reply chain, rooted at the post itself.
  const rootOfNewChain =
    type === 'channel' && thread === undefined && activity.type === 'message' ? activity.id : undefined;
  if (!activity.serviceUrl) return { platform: 'teams', tenant, channel, thread, isDirect };
  const reference: StoredReference = {
    channelId: activity.channelId ?? 'msteams',
    serviceUrl: activity.serviceUrl,
    bot: { id: activity.recipient?.id ?? '', name: activity.recipient?.name || undefined },
    conversation: {
      id: channel,
      conversationType: type,
      isGroup: conversation.isGroup,
      tenantId: conversation.tenantId ?? (tenant || undefined),
    },
    locale: activity.locale || undefined,
  };
  return {
    platform: 'teams',
    tenant,
    channel,
    thread: thread ?? rootOfNewChain,
    isDirect,
    data: { reference },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unsupported(reason: string): TeamsInbound {
  return { kind: 'unsupported', reason };
}
