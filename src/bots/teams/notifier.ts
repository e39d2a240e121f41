import {
  type CloudAdapter,
  type ConversationParameters,
  type ConversationReference,
  type TeamsChannelAccount,
  TeamsInfo,
  type TurnContext,
} from 'botbuilder';
import type { ChatUser, ConversationRef, OutMessage } from '../../core/chat/chat.ts';
import type { Delivery, DeliveryReceipt, Notifier } from '../../core/chat/notifier.ts';
import { HelpdeskError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { createTeamsAdapter, type TeamsAdapterOptions } from './adapter.ts';
import type { TeamsSettings } from './config.ts';
import { deliveryError, isPermanent } from './delivery-errors.ts';
import { createPacer, type Pacer } from './pacer.ts';
import { type RenderedMessage, renderDialog, renderMessage } from './render.ts';
import { conversationIdFor, type StoredReference } from './to-chat-event.ts';

const BOT_CONNECTOR_SCOPE = 'https://api.botframework.com';

export interface TeamsNotifierOptions extends TeamsAdapterOptions {
  config: TeamsSettings;
  log: Logger;
  pacer?: Pacer | undefined;
  /** Member look-ups kept in memory (default 1,000 people for 5 minutes). */
  memberCache?: { size: number; ttlMs: number } | undefined;
  /** Reuse an adapter (one process serving and delivering); built from config when absent. */
  adapter?: CloudAdapter | undefined;
}

export interface TeamsNotifier extends Notifier {
  /**
   * Asks the Teams roster of `where` (the conversation the user wrote or was mentioned in) for a
   * user: a `29:` id from a mention comes back keyed on the member's Entra object id, with the
   * `29:` id as an alias, the display name and the e-mail.
   */
  lookupUser(user: ChatUser, where?: ConversationRef): Promise<ChatUser>;
}

/** Entra object ids are GUIDs; anything else (`29:…`) is a Teams id that needs the roster. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Sends proactively with the stored conversation reference: posts, card updates in place, 1:1
 * messages. Failures come back as transient (429, 412, 5xx; the outbox retries) or permanent.
 */
export function createTeamsNotifier(options: TeamsNotifierOptions): TeamsNotifier {
  const appId = options.config.MICROSOFT_APP_ID;
  const adapter = options.adapter ?? createTeamsAdapter(options.config, options);
  // A send over the limit goes back to the outbox as a rate-limit wait (a delayed job), never a
  // worker slot held asleep in the pacer.
  const pacer = options.pacer ?? createPacer({ maxWaitMs: 0 });
  const log = options.log.child({ platform: 'teams' });
  const members = createMemberCache(options.memberCache ?? { size: 1000, ttlMs: 5 * 60_000 });

  /** Runs `logic` in a proactive turn in the target's conversation (or reply chain). */
  async function inConversation<T>(
    target: ConversationRef,
    logic: (context: TurnContext) => Promise<T>,
  ): Promise<T> {
    const reference = referenceOf(target);
    // Teams counts a channel's reply chains as one conversation, so pace on the channel.
    await pacer.wait(target.channel);
    let result: T | undefined;
    try {
      await adapter.continueConversationAsync(appId, reference, async (context) => {
        withoutSdkRetries(context);
        // The continuation activity carries a made-up id; without it a send is a new message in
        // the conversation (a new post in a channel, or a reply when the id names a reply chain).
        context.activity.id = undefined as unknown as string;
        result = await logic(context);
      });
    } catch (error) {
      throw deliveryError(error);
    }
    return result as T;
  }

  async function post(target: ConversationRef, activity: RenderedMessage): Promise<DeliveryReceipt> {
    const response = await inConversation(target, (context) => context.sendActivity(activity));
    return { messageId: response?.id };
  }

  /** A 1:1 chat with the user, created (or found: Teams returns the existing one) on demand. */
  async function postToUser(
    target: ConversationRef,
    userId: string,
    message: OutMessage,
  ): Promise<DeliveryReceipt> {
    const stored = storedReference(target);
    const tenantId = stored.conversation.tenantId ?? target.tenant;
    await pacer.wait(`user:${userId}`);
    let messageId: string | undefined;
    try {
      const parameters = {
        isGroup: false,
        bot: { id: stored.bot.id, name: stored.bot.name ?? '' },
        members: [{ id: userId, name: '' }],
        tenantId,
        channelData: { tenant: { id: tenantId } },
      } as ConversationParameters;
      // The turn runs in the new (or existing) 1:1 conversation, so a plain send lands there.
      await adapter.createConversationAsync(
        appId,
        stored.channelId,
        stored.serviceUrl,
        BOT_CONNECTOR_SCOPE,
        parameters,
        async (context) => {
          withoutSdkRetries(context);
          context.activity.id = undefined as unknown as string;
          messageId = (await context.sendActivity(renderMessage(message)))?.id;
        },
      );
    } catch (error) {
      throw deliveryError(error);
    }
    return { messageId };
  }

  return {
    platform: 'teams',

    async deliver(delivery: Delivery): Promise<DeliveryReceipt> {
      switch (delivery.op) {
        case 'post':
          return post(delivery.target, renderMessage(delivery.message));
        case 'update': {
          const activity = { ...renderMessage(delivery.message), id: delivery.messageId };
          await inConversation(delivery.target, (context) => context.updateActivity(activity));
          return { messageId: delivery.messageId };
        }
        case 'ephemeral':
          return ephemeral(delivery.target, delivery.userId, delivery.message);
        case 'dialog':
          // No task module without a user's invoke to answer: the form is posted as a card instead.
          return post(delivery.target, renderDialog(delivery.dialog));
        case 'home':
          // Teams has no per-user home surface for bots; the personal chat serves that purpose.
          return {};
      }
    },

    async lookupUser(user, where) {
      const isTeamsId = !GUID.test(user.userId);
      if ((user.email && !isTeamsId) || !where || where.platform !== 'teams' || !where.data?.reference) {
        return user;
      }
      const key = `${user.tenant || where.tenant}/${user.userId}`;
      let pending = members.get(key);
      if (!pending) {
        const ask = () =>
          inConversation({ ...where, thread: undefined }, (context) =>
            TeamsInfo.getMember(context, user.userId),
          );
        // A look-up has no outbox to retry it: a transient failure (a connection the service closed
        // as it was reused, a 5xx, a short 429) is asked once more before the command goes on without it.
        pending = ask().catch(async (error: unknown) => {
          const wait = retryWaitMs(error);
          if (wait === undefined) throw error;
          await new Promise((resolve) => setTimeout(resolve, wait));
          return ask();
        });
        members.set(key, pending);
        // A failed look-up is not remembered: the next mention asks again.
        pending.catch(() => members.delete(key));
      }
      try {
        const member = await pending;
        const email =
          member.email ?? (member.userPrincipalName?.includes('@') ? member.userPrincipalName : undefined);
        // The documented roster answer spells the Entra id `objectId`; the SDK's type `aadObjectId`.
        const objectId = member.aadObjectId || (member as { objectId?: string }).objectId;
        const userId = objectId || user.userId;
        const aliases = new Set(user.aliases ?? []);
        if (member.id && member.id !== userId) aliases.add(member.id);
        if (user.userId !== userId) aliases.add(user.userId);
        return {
          ...user,
          userId,
          displayName: user.displayName ?? (member.name || undefined),
          email: user.email ?? email ?? undefined,
          ...(aliases.size > 0 ? { aliases: [...aliases] } : {}),
        };
      } catch (error) {
        log.debug({ err: (error as Error).message }, 'teams member lookup failed; continuing without it');
        return user;
      }
    },
  };

  /**
   * Teams has no ephemeral messages: in a personal chat the message is simply posted; elsewhere it
   * goes to the user's 1:1 chat with the bot, or, when that is impossible, into the conversation.
   */
  async function ephemeral(
    target: ConversationRef,
    userId: string,
    message: OutMessage,
  ): Promise<DeliveryReceipt> {
    if (target.isDirect) return post(target, renderMessage(message));
    try {
      return await postToUser(target, userId, message);
    } catch (error) {
      if (!isPermanent(error)) throw error;
      log.info({ err: (error as Error).message }, 'no 1:1 chat with the user; answering in the conversation');
      return post(target, renderMessage(message));
    }
  }
}

function storedReference(target: ConversationRef): StoredReference {
  const reference = target.data?.reference as StoredReference | undefined;
  if (!reference?.serviceUrl || !reference.conversation?.id) {
    throw deliveryError(
      new Error(`conversation ${target.channel} has no Bot Framework reference`),
      'permanent',
    );
  }
  return reference;
}

/** The stored reference, pointed at the reply chain when the target names one. */
function referenceOf(
  target: ConversationRef,
): Partial<ConversationReference> & Pick<ConversationReference, 'conversation'> {
  const stored = storedReference(target);
  return {
    channelId: stored.channelId,
    serviceUrl: stored.serviceUrl,
    bot: { id: stored.bot.id, name: stored.bot.name ?? '' },
    conversation: {
      ...stored.conversation,
      id: conversationIdFor({ channel: stored.conversation.id, thread: target.thread }),
      isGroup: stored.conversation.isGroup ?? false,
      conversationType: stored.conversation.conversationType ?? '',
      name: '',
    },
    locale: stored.locale,
  };
}

/** How long to wait before asking again after a failed look-up; undefined when asking again cannot help. */
function retryWaitMs(error: unknown): number | undefined {
  if (isPermanent(error)) return undefined;
  const retryAfter = error instanceof HelpdeskError ? error.retryAfter : undefined;
  if (retryAfter === undefined) return 250;
  return retryAfter <= 2 ? retryAfter * 1000 : undefined;
}

/**
 * The connector's HTTP pipeline retries 429 and 5xx itself, holding a worker for up to minutes;
 * the outbox owns retries (with the platform's Retry-After), so the SDK's retry phase is removed.
 */
function withoutSdkRetries(context: TurnContext): void {
  const adapter = context.adapter as unknown as { ConnectorClientKey?: symbol };
  if (!adapter.ConnectorClientKey) return;
  const connector = context.turnState.get(adapter.ConnectorClientKey) as
    | { client?: { pipeline?: { removePolicy(options: { phase: string }): unknown } } }
    | undefined;
  connector?.client?.pipeline?.removePolicy({ phase: 'Retry' });
}

/** A small LRU of member look-ups (in flight or answered) that forgets answers after `ttlMs`. */
function createMemberCache(limits: { size: number; ttlMs: number }) {
  const entries = new Map<string, { value: Promise<TeamsChannelAccount>; expires: number }>();
  return {
    get(key: string): Promise<TeamsChannelAccount> | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.expires < Date.now()) return undefined;
      entries.set(key, entry);
      return entry.value;
    },
    set(key: string, value: Promise<TeamsChannelAccount>): void {
      entries.delete(key);
      entries.set(key, { value, expires: Date.now() + limits.ttlMs });
      while (entries.size > limits.size) entries.delete(entries.keys().next().value as string);
    },
    delete(key: string): void {
      entries.delete(key);
    },
  };
}
