import type {
  ActionEvent,
  ChatAttachment,
  ChatEvent,
  ChatUser,
  CommandEvent,
  ConversationRef,
  MessageEvent,
  ReactionEvent,
  UninstalledEvent,
} from '../../core/chat/chat.ts';

/** What a Slack payload becomes: one neutral event, or a reason it is none of core's business. */
export type SlackConversion = { kind: 'event'; event: ChatEvent } | { kind: 'unsupported'; reason: string };

export interface ConversionContext {
  /** The bot's own user id (from auth.test or the event's authorizations), to skip double mentions. */
  botUserId?: string | undefined;
  /** Whether a modal's callback id is one of the helpdesk's own (core's action ids); any, when unset. */
  isOwnModal?: ((callbackId: string) => boolean) | undefined;
}

/** The slash command this adapter answers, the message shortcut's callback id and the filing emoji. */
export const SLASH_COMMAND = '/helpdesk';
export const FILE_TICKET_SHORTCUT = 'file_it_ticket';
export const TICKET_EMOJI = 'ticket';
/** 🎫 and 🎟️: either files the message; every other reaction is ignored before it is recorded. */
const FILING_REACTIONS = new Set([TICKET_EMOJI, 'admission_tickets']);
/** Files kept per message (by link, never the bytes) and the longest file name kept. */
export const MAX_ATTACHMENTS = 10;
export const MAX_ATTACHMENT_NAME = 200;
/** Rendered selects carry the neutral value (a ticket id) in their action_id after this separator. */
export const ACTION_VALUE_SEPARATOR = '|';

/** Message subtypes that are still someone talking; every other subtype (edits, joins, bots) is noise. */
const SPOKEN_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast', 'me_message']);

type Json = Record<string, unknown>;

const unsupported = (reason: string): SlackConversion => ({ kind: 'unsupported', reason });
const ok = (event: ChatEvent): SlackConversion => ({ kind: 'event', event });

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function user(tenant: string, userId: string): ChatUser {
  return { platform: 'slack', tenant, userId };
}

function ref(tenant: string, channel: string, rest: Partial<ConversationRef> = {}): ConversationRef {
  const conversation: ConversationRef = { platform: 'slack', tenant, channel };
  if (rest.thread !== undefined) conversation.thread = rest.thread;
  if (rest.isDirect !== undefined) conversation.isDirect = rest.isDirect;
  if (rest.data !== undefined) conversation.data = rest.data;
  return conversation;
}

/** DM channel ids start with D; slash commands from a DM also say `directmessage`. */
function isDirectChannel(channel: string, channelName?: string): boolean {
  return channel.startsWith('D') || channelName === 'directmessage';
}

/** Converts one parsed Slack request body (Events API, slash command or interactivity) into a ChatEvent. */
export function toChatEvent(body: unknown, context: ConversionContext = {}): SlackConversion {
  const payload = obj(body);
  if (!payload) return unsupported('not an object');
  if (payload.type === 'event_callback') return fromEventCallback(payload, context);
  if (typeof payload.command === 'string') return fromSlashCommand(payload);
  if (payload.type === 'block_actions') return fromBlockActions(payload);
  if (payload.type === 'view_submission') return fromViewSubmission(payload, context);
  if (payload.type === 'message_action') return fromMessageShortcut(payload);
  return unsupported(`payload type ${String(payload.type)}`);
}

function fromEventCallback(body: Json, context: ConversionContext): SlackConversion {
  const event = obj(body.event);
  if (!event) return unsupported('event_callback without event');
  const authorization = obj((body.authorizations as unknown[] | undefined)?.[0]);
  // An org-wide install's uninstall and token events name only the enterprise.
  const tenant =
    str(body.team_id) ??
    str(event.team) ??
    str(authorization?.team_id) ??
    str(body.enterprise_id) ??
    str(authorization?.enterprise_id) ??
    '';
  // Older payloads carry `authed_users` (the bot's user) instead of `authorizations`.
  const botUserId =
    context.botUserId ??
    (authorization?.is_bot !== false ? str(authorization?.user_id) : undefined) ??
    (Array.isArray(body.authed_users) && body.authed_users.length === 1
      ? str(body.authed_users[0])
      : undefined);
  // Old payload shapes carry no event_id; event_ts + type is unique enough for those.
  const eventId = str(body.event_id) ?? `${String(event.type)}-${String(event.event_ts)}`;

  switch (event.type) {
    case 'message':
      return fromMessage(event, { tenant, eventId, botUserId, mention: false });
    case 'app_mention':
      return fromMessage(event, { tenant, eventId, botUserId, mention: true });
    case 'reaction_added':
      return fromReaction(event, tenant, eventId);
    case 'app_uninstalled':
      return uninstalled(tenant, eventId, 'app_uninstalled');
    case 'tokens_revoked': {
      // Only the bot token matters: a person revoking their own user token changes nothing here.
      const bot = obj(event.tokens)?.bot;
      if (!Array.isArray(bot) || bot.length === 0) return unsupported('tokens_revoked without the bot token');
      return uninstalled(tenant, eventId, 'tokens_revoked');
    }
    case 'app_home_opened': {
      const userId = str(event.user);
      const channel = str(event.channel);
      if (event.tab !== 'home' || !userId) return unsupported('app_home_opened outside the home tab');
      const command: CommandEvent = {
        kind: 'command',
        platform: 'slack',
        eventId,
        sender: user(tenant, userId),
        conversation: ref(tenant, channel ?? userId, { isDirect: true }),
        text: 'home',
      };
      return ok(command);
    }
    default:
      return unsupported(`event ${String(event.type)}`);
  }
}

function uninstalled(tenant: string, eventId: string, reason: string): SlackConversion {
  const event: UninstalledEvent = {
    kind: 'uninstalled',
    platform: 'slack',
    eventId,
    // Slack says nothing of who removed the app: a placeholder, for which core makes no person.
    sender: user(tenant, ''),
    conversation: ref(tenant, ''),
    scope: 'workspace',
    reason,
  };
  return ok(event);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The text without the bot's own `<@U…>` / `<@U…|name>` tokens, wherever they are ("@Helpdesk hi"
 * is a greeting, and a ticket title never shows the raw token). Other people's mentions stay.
 */
export function stripBotMention(
  text: string,
  botUserId: string | undefined,
): { text: string; found: boolean } {
  if (!botUserId) return { text, found: false };
  const token = new RegExp(`<@${escapeRegExp(botUserId)}(?:\\|[^>]*)?>`, 'g');
  if (!token.test(text)) return { text, found: false };
  const stripped = text
    .replace(token, ' ')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/^[ \t]*[,:;]?[ \t]*/, '')
    .replace(/ +\n/g, '\n')
    .replace(/\n +/g, '\n')
    .trim();
  return { text: stripped, found: true };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The files on a message as neutral attachments: links, never bytes. Deleted files (`tombstone`)
 * and files hidden by the workspace's plan limit are skipped; a Slack Connect file that only says
 * `check_file_info` (no name, no link) is kept as "file", so the agent at least knows one came.
 */
export function attachmentsOf(files: unknown): ChatAttachment[] | undefined {
  if (!Array.isArray(files)) return undefined;
  const attachments: ChatAttachment[] = [];
  for (const value of files) {
    const file = obj(value);
    if (
      !file ||
      file.mode === 'tombstone' ||
      file.mode === 'hidden_by_limit' ||
      file.hidden_by_limit === true
    )
      continue;
    const size =
      typeof file.size === 'number' && Number.isFinite(file.size) && file.size >= 0 ? file.size : undefined;
    attachments.push({
      name: clip((str(file.name) ?? str(file.title) ?? 'file').trim() || 'file', MAX_ATTACHMENT_NAME),
      contentType: str(file.mimetype),
      size,
      url: str(file.permalink) ?? str(file.url_private),
    });
    if (attachments.length === MAX_ATTACHMENTS) break;
  }
  return attachments.length > 0 ? attachments : undefined;
}

function fromMessage(
  event: Json,
  meta: { tenant: string; eventId: string; botUserId: string | undefined; mention: boolean },
): SlackConversion {
  const subtype = str(event.subtype);
  if (!SPOKEN_SUBTYPES.has(subtype)) return unsupported(`message subtype ${subtype}`);
  if (event.bot_id !== undefined || event.bot_profile !== undefined) return unsupported('message from a bot');
  const userId = str(event.user);
  const channel = str(event.channel);
  const ts = str(event.ts);
  if (!userId || !channel || !ts) return unsupported('message without user, channel or ts');
  if (meta.botUserId && userId === meta.botUserId) return unsupported('own message');

  // A public ('channel') and a private channel ('group', from message.groups) work alike. Some
  // subtypes come without channel_type (me_message as documented): a D… channel is still a DM.
  const isDirect =
    event.channel_type === 'im' || (event.channel_type === undefined && isDirectChannel(channel));
  const raw = typeof event.text === 'string' ? event.text : '';
  const stripped = stripBotMention(raw, meta.botUserId);
  // An app_mention whose bot id is unknown still starts with the bot's token: drop that one.
  const text =
    meta.mention && !stripped.found
      ? raw.replace(/^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>[\s,:;]*/, '').trim()
      : stripped.text;
  const mentionsBot = meta.mention || stripped.found;
  // A channel message that mentions the bot also arrives as app_mention; forward it once, from there.
  if (!meta.mention && !isDirect && mentionsBot)
    return unsupported('channel mention, handled as app_mention');

  const threadTs = str(event.thread_ts);
  // In channels every reply goes in a thread (the message's own one when it starts one); a DM
  // keeps the thread the person used.
  const thread = isDirect ? threadTs : (threadTs ?? ts);
  const attachments = attachmentsOf(event.files);
  const conversation = ref(meta.tenant, channel, { thread, isDirect });
  // "@Helpdesk" and nothing else: the person wants to know what the bot does, so they get help
  // (the same as `/helpdesk help`, shown to them), never silence.
  if (mentionsBot && text === '' && !attachments) {
    const help: CommandEvent = {
      kind: 'command',
      platform: 'slack',
      eventId: meta.eventId,
      sender: user(meta.tenant, userId),
      conversation,
      text: 'help',
    };
    return ok(help);
  }
  const message: MessageEvent = {
    kind: 'message',
    platform: 'slack',
    eventId: meta.eventId,
    sender: user(meta.tenant, userId),
    conversation,
    text,
    messageId: ts,
    isDirect,
    mentionsBot: meta.mention || (isDirect && mentionsBot),
  };
  if (attachments) message.attachments = attachments;
  return ok(message);
}

function fromReaction(event: Json, tenant: string, eventId: string): SlackConversion {
  const emoji = str(event.reaction);
  if (!emoji || !FILING_REACTIONS.has(emoji)) return unsupported(`reaction ${String(event.reaction)}`);
  const item = obj(event.item);
  const userId = str(event.user);
  const channel = str(item?.channel);
  const ts = str(item?.ts);
  if (item?.type !== 'message' || !userId || !channel || !ts) return unsupported('reaction not on a message');
  const author = str(event.item_user);
  const reaction: ReactionEvent = {
    kind: 'reaction',
    platform: 'slack',
    eventId,
    sender: user(tenant, userId),
    conversation: ref(tenant, channel, { thread: ts, isDirect: isDirectChannel(channel) }),
    emoji,
    // Text is not in the event; core asks the notifier's fetchMessage for it.
    target: { messageId: ts, author: author ? user(tenant, author) : undefined },
  };
  return ok(reaction);
}

function fromSlashCommand(body: Json): SlackConversion {
  if (body.command !== SLASH_COMMAND) return unsupported(`command ${String(body.command)}`);
  const tenant = str(body.team_id) ?? '';
  const userId = str(body.user_id);
  const channel = str(body.channel_id);
  const triggerId = str(body.trigger_id);
  if (!userId || !channel || !triggerId) return unsupported('command without user, channel or trigger');
  const responseUrl = str(body.response_url);
  const command: CommandEvent = {
    kind: 'command',
    platform: 'slack',
    eventId: `command-${triggerId}`,
    sender: user(tenant, userId),
    conversation: ref(tenant, channel, {
      isDirect: isDirectChannel(channel, str(body.channel_name)),
      data: responseUrl ? { responseUrl } : undefined,
    }),
    text: typeof body.text === 'string' ? body.text.trim() : '',
    triggerId,
  };
  return ok(command);
}

function interactiveTenant(body: Json): string {
  return str(obj(body.team)?.id) ?? str(obj(body.user)?.team_id) ?? str(obj(body.view)?.team_id) ?? '';
}

/** The `priority` of `ticket.priority`: the key a select's choice is filed under in `inputs`. */
function inputKey(actionId: string): string {
  return actionId.slice(actionId.lastIndexOf('.') + 1);
}

function fromBlockActions(body: Json): SlackConversion {
  const action = obj((body.actions as unknown[] | undefined)?.[0]);
  const userId = str(obj(body.user)?.id);
  if (!action || !userId) return unsupported('block_actions without action or user');
  const tenant = interactiveTenant(body);
  // render.ts makes ids unique within a message with a `#n` suffix and carries select values after '|'.
  const rawActionId = (str(action.action_id) ?? '').replace(/#\d+$/, '');
  const separator = rawActionId.indexOf(ACTION_VALUE_SEPARATOR);
  const actionId = separator === -1 ? rawActionId : rawActionId.slice(0, separator);
  const carried = separator === -1 ? undefined : rawActionId.slice(separator + 1);

  const inputs: Record<string, string> = {};
  let chosen: string | undefined;
  if (action.type === 'users_select' && str(action.selected_user)) {
    chosen = str(action.selected_user);
    inputs.user = chosen as string;
  } else if (action.type === 'static_select' && str(obj(action.selected_option)?.value)) {
    chosen = str(obj(action.selected_option)?.value);
    inputs[inputKey(actionId)] = chosen as string;
  }
  const value = str(action.value) ?? carried ?? chosen ?? '';

  const container = obj(body.container);
  const message = obj(body.message);
  const channel = str(container?.channel_id) ?? str(obj(body.channel)?.id);
  const responseUrl = str(body.response_url);
  const conversation = channel
    ? ref(tenant, channel, {
        thread: str(message?.thread_ts),
        isDirect: isDirectChannel(channel),
        data: responseUrl ? { responseUrl } : undefined,
      })
    : // A button in App Home or a modal has no channel: answer in the person's DM with the app.
      ref(tenant, userId, { isDirect: true });
  const messageId = str(container?.message_ts) ?? str(message?.ts);
  const triggerId = str(body.trigger_id);
  const event: ActionEvent = {
    kind: 'action',
    platform: 'slack',
    eventId: triggerId ? `action-${triggerId}` : `action-${userId}-${String(action.action_ts)}`,
    sender: user(tenant, userId),
    conversation,
    actionId,
    value,
    inputs: Object.keys(inputs).length > 0 ? inputs : undefined,
    messageId,
    triggerId,
  };
  return ok(event);
}

/** What render.ts stores in a modal's private_metadata: core's value plus where the dialog came from. */
export interface ModalMetadata {
  value: string;
  channel?: string | undefined;
  thread?: string | undefined;
  isDirect?: boolean | undefined;
  responseUrl?: string | undefined;
}

/** The metadata render.ts wrote, or undefined for a modal this app did not open. */
export function parseModalMetadata(raw: string): ModalMetadata | undefined {
  try {
    const parsed = obj(JSON.parse(raw));
    if (parsed && typeof parsed.value === 'string') return parsed as unknown as ModalMetadata;
  } catch {
    // Not JSON: not ours.
  }
  return undefined;
}

/** Reads every input of a submitted modal, keyed by action_id (render.ts uses the dialog input id). */
export function viewInputs(view: Json): Record<string, string> {
  const inputs: Record<string, string> = {};
  const values = obj(obj(view.state)?.values) ?? {};
  for (const block of Object.values(values)) {
    for (const [actionId, element] of Object.entries(obj(block) ?? {})) {
      const field = obj(element);
      const value =
        str(field?.value) ??
        str(obj(field?.selected_option)?.value) ??
        str(field?.selected_user) ??
        str(field?.selected_conversation) ??
        str(field?.selected_channel);
      if (value !== undefined) inputs[actionId] = value;
    }
  }
  return inputs;
}

function fromViewSubmission(body: Json, context: ConversionContext): SlackConversion {
  const view = obj(body.view);
  const userId = str(obj(body.user)?.id);
  const callbackId = str(view?.callback_id);
  if (!view || !userId || !callbackId)
    return unsupported('view_submission without view, user or callback_id');
  const metadata = parseModalMetadata(typeof view.private_metadata === 'string' ? view.private_metadata : '');
  // A modal this app did not open (other code on the same app id, an older version): its metadata is
  // not what render.ts writes, or its callback is no action of ours. Acknowledged, never answered.
  if (!metadata || context.isOwnModal?.(callbackId) === false)
    return unsupported(`view_submission for a modal this app did not open (${callbackId})`);
  const tenant = interactiveTenant(body);
  const channel = metadata.channel ?? userId;
  const triggerId = str(body.trigger_id);
  const event: ActionEvent = {
    kind: 'action',
    platform: 'slack',
    eventId: triggerId ? `view-${triggerId}` : `view-${String(view.id)}-${String(view.hash)}`,
    sender: user(tenant, userId),
    conversation: ref(tenant, channel, {
      thread: metadata.thread,
      isDirect: metadata.isDirect ?? isDirectChannel(channel),
      data: metadata.responseUrl ? { responseUrl: metadata.responseUrl } : undefined,
    }),
    actionId: callbackId,
    value: metadata.value,
    inputs: viewInputs(view),
    triggerId,
  };
  return ok(event);
}

function fromMessageShortcut(body: Json): SlackConversion {
  if (body.callback_id !== FILE_TICKET_SHORTCUT) return unsupported(`shortcut ${String(body.callback_id)}`);
  const userId = str(obj(body.user)?.id);
  const channel = str(obj(body.channel)?.id);
  const message = obj(body.message);
  const ts = str(body.message_ts) ?? str(message?.ts);
  if (!userId || !channel || !ts) return unsupported('message shortcut without user, channel or message');
  const tenant = interactiveTenant(body);
  const author = str(message?.user);
  const triggerId = str(body.trigger_id);
  const responseUrl = str(body.response_url);
  const event: ReactionEvent = {
    kind: 'reaction',
    platform: 'slack',
    eventId: triggerId ? `shortcut-${triggerId}` : `shortcut-${userId}-${String(body.action_ts)}`,
    sender: user(tenant, userId),
    conversation: ref(tenant, channel, {
      thread: str(message?.thread_ts) ?? ts,
      isDirect: isDirectChannel(channel),
      data: responseUrl ? { responseUrl } : undefined,
    }),
    emoji: TICKET_EMOJI,
    target: {
      messageId: ts,
      text: typeof message?.text === 'string' ? message.text : undefined,
      author: author ? user(tenant, author) : undefined,
      attachments: attachmentsOf(message?.files),
    },
  };
  return ok(event);
}
