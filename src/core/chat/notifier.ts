import type { ChatAttachment, ChatUser, ConversationRef, Dialog, OutMessage, Platform } from './chat.ts';

/** One thing to send, as the outbox hands it to a platform notifier. */
export type Delivery =
  | { op: 'post'; target: ConversationRef; message: OutMessage }
  | { op: 'update'; target: ConversationRef; messageId: string; message: OutMessage }
  | { op: 'ephemeral'; target: ConversationRef; userId: string; message: OutMessage }
  | { op: 'dialog'; target: ConversationRef; triggerId: string; dialog: Dialog }
  /** A personal home surface (Slack App Home): replaces what `userId` sees there. */
  | { op: 'home'; target: ConversationRef; userId: string; messages: OutMessage[] };

export interface DeliveryReceipt {
  /** The platform id of the posted message (Slack ts, Teams activity id), for later updates. */
  messageId?: string | undefined;
}

/**
 * A platform's outgoing side. `deliver` throws `HelpdeskError('transient_delivery_failure')`
 * (with `retryAfter` when the platform said so) or `HelpdeskError('permanent_delivery_failure')`.
 */
export interface Notifier {
  platform: Platform;
  deliver(delivery: Delivery): Promise<DeliveryReceipt>;
  /**
   * Fills in display name and e-mail from the platform's directory, when it has one. `where` is the
   * conversation the user acted in (Teams can only read a roster through a conversation).
   */
  lookupUser?(user: ChatUser, where?: ConversationRef): Promise<ChatUser>;
  /**
   * Whether deliveries to `tenant` would be authorised again (Slack: auth.test), for a workspace
   * whose deliveries are paused. Without it, a pause is lifted at the next periodic probe and the
   * next delivery tells.
   */
  probe?(tenant: string): Promise<boolean>;
  /** The text and author of a message, for filing it as a ticket (🎫 reaction). */
  fetchMessage?(
    conversation: ConversationRef,
    messageId: string,
  ): Promise<{ text: string; author: ChatUser; attachments?: ChatAttachment[] | undefined } | undefined>;
}

export type Notifiers = Partial<Record<Platform, Notifier>>;
