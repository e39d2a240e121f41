/**
 * The platform-neutral chat model. Adapters convert platform payloads into these shapes and
 * render `OutMessage`s back; core never sees a Slack or Teams type.
 */

export const PLATFORMS = ['slack', 'teams', 'console'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** A person as one platform knows them. `tenant` is the Slack team or the Teams tenant. */
export interface ChatUser {
  platform: Platform;
  tenant: string;
  userId: string;
  displayName?: string | undefined;
  email?: string | undefined;
  isBot?: boolean | undefined;
  /**
   * Other ids the platform uses for this same user (a Teams `29:…` id next to the aadObjectId
   * that is `userId`). Stored as aliases, so a mention carrying one finds the person for free.
   */
  aliases?: string[] | undefined;
  /** The person's locale as the platform says (`de-DE`): Slack's user locale, the Teams activity's. */
  locale?: string | undefined;
}

/**
 * A file or image on a message, referenced by its platform link: never downloaded. `url` is where a
 * signed-in member of the workspace or tenant opens it (Slack permalink, Teams/SharePoint link).
 */
export interface ChatAttachment {
  name: string;
  /** MIME type when the platform says (`image/png`), else undefined. */
  contentType?: string | undefined;
  /** Bytes, when the platform says. */
  size?: number | undefined;
  url?: string | undefined;
}

/**
 * Everything needed to post into a conversation later. `channel` is the Slack channel id, the
 * Teams conversation id or the console channel name; `thread` the Slack thread_ts or the Teams
 * reply-chain root id. `data` carries what only the adapter understands (the Bot Framework
 * conversation reference, a Slack response_url), stored as JSON and handed back untouched.
 */
export interface ConversationRef {
  platform: Platform;
  tenant: string;
  channel: string;
  thread?: string | undefined;
  isDirect?: boolean | undefined;
  data?: Record<string, unknown> | undefined;
}

interface EventBase {
  platform: Platform;
  /** Unique per platform: Slack event_id / action trigger, Teams activity id. Used for de-duplication. */
  eventId: string;
  sender: ChatUser;
  conversation: ConversationRef;
}

export interface MessageEvent extends EventBase {
  kind: 'message';
  text: string;
  /** The platform id of this message (Slack ts, Teams activity id). */
  messageId: string;
  isDirect: boolean;
  mentionsBot: boolean;
  /** A top-level post in a channel configured for intake. */
  isIntake?: boolean | undefined;
  /** Files and images on the message (a message may be only a file: `text` is then ''). */
  attachments?: ChatAttachment[] | undefined;
}

export interface CommandEvent extends EventBase {
  kind: 'command';
  /** Everything after the command word: `claim #4`. */
  text: string;
  /** Platform token for opening a dialog (Slack trigger_id), when the platform gave one. */
  triggerId?: string | undefined;
}

export interface ActionEvent extends EventBase {
  kind: 'action';
  actionId: string;
  value: string;
  /** Values typed into a dialog or card inputs (resolution note, modal fields). */
  inputs?: Record<string, string> | undefined;
  /** The platform id of the message whose button was pressed. */
  messageId?: string | undefined;
  triggerId?: string | undefined;
  /**
   * False when the press came without a response that could show its private answer (a Teams
   * Action.Submit arrives as a message, not an invoke): the answer is then sent at once.
   */
  answeredInline?: false | undefined;
}

export interface ReactionEvent extends EventBase {
  kind: 'reaction';
  emoji: string;
  /** The message reacted to; the adapter fills in its text and author when it can. */
  target: {
    messageId: string;
    text?: string | undefined;
    author?: ChatUser | undefined;
    attachments?: ChatAttachment[] | undefined;
  };
}

/** The bot was added to a team, channel or chat: store the conversation and say hello. */
export interface InstalledEvent extends EventBase {
  kind: 'installed';
}

/**
 * The bot lost access: uninstalled from a Slack workspace or its tokens revoked (`workspace`:
 * everything under `conversation.tenant`), or removed from a Teams team, channel or chat
 * (`conversation`: `conversation.channel`). Deliveries there stop until it is installed again.
 * `sender` is whoever removed it when the platform says, else a placeholder: no person is made.
 */
export interface UninstalledEvent extends EventBase {
  kind: 'uninstalled';
  scope: 'workspace' | 'conversation';
  /** What the platform said: `app_uninstalled`, `tokens_revoked`, `installationUpdate remove`, … */
  reason: string;
}

export type ChatEvent =
  | MessageEvent
  | CommandEvent
  | ActionEvent
  | ReactionEvent
  | InstalledEvent
  | UninstalledEvent;

export interface CardField {
  label: string;
  value: string;
}

export interface CardOption {
  label: string;
  value: string;
}

export type CardAction =
  | { type: 'button'; actionId: string; label: string; value: string; style?: 'primary' | 'danger' }
  | {
      type: 'select';
      actionId: string;
      placeholder: string;
      options: CardOption[];
      selected?: string | undefined;
    }
  | { type: 'user-select'; actionId: string; placeholder: string; value: string };

/** A file shown on a card as a link (never fetched by the bot). */
export interface CardFile {
  name: string;
  url?: string | undefined;
  /** `image/png, 120 KB` */
  detail?: string | undefined;
}

/** A neutral card: Slack renders it to Block Kit, Teams to an Adaptive Card, the console to text. */
export interface Card {
  title: string;
  /** Stable kind, so renderers and updates know what they hold: `ticket`, `answer`, `csat`, ... */
  kind: string;
  accent?: 'info' | 'good' | 'warning' | 'danger' | undefined;
  fields?: CardField[] | undefined;
  body?: string | undefined;
  context?: string | undefined;
  actions?: CardAction[] | undefined;
  /** A public image (PNG/JPEG) shown where the platform can fetch and display it. */
  imageUrl?: string | undefined;
  /** What the image shows, for screen readers and clients that cannot load it; the title otherwise. */
  imageAlt?: string | undefined;
  /** Files (a requester's screenshot), each a link where the platform shows links. */
  files?: CardFile[] | undefined;
}

export interface OutMessage {
  /** Always present: the fallback text for notifications and text-only channels. */
  text: string;
  card?: Card | undefined;
}

/** A dialog to open (Slack modal, Teams task module). Fields are plain inputs. */
export interface Dialog {
  callbackId: string;
  title: string;
  submitLabel: string;
  /** Round-tripped to the submission action as its value. */
  privateValue: string;
  inputs: Array<{
    id: string;
    label: string;
    multiline?: boolean | undefined;
    optional?: boolean | undefined;
    initial?: string | undefined;
    options?: CardOption[] | undefined;
  }>;
}
