/**
 * Work done before an event's transaction: directory look-ups and model calls must not hold locks.
 * It returns everything it looked up (the person, the conversation, the ticket the thread belongs
 * to), so the handler inside the transaction does not look any of it up again.
 */
import type { ChatAttachment, ChatEvent, ChatUser, MessageEvent } from '../chat/chat.ts';
import { parseCommand } from '../commands/parse.ts';
import {
  carriedState,
  stateConversationOf,
  upsertConversation,
} from '../conversations/conversation.repository.ts';
import { markHeardFrom } from '../conversations/installation.ts';
import type { DbOrTx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { chooseLanguage, rememberedLanguage, rememberLanguage } from '../i18n/choose.ts';
import type { Language } from '../i18n/languages.ts';
import { resumeDeliveries } from '../outbox/pauses.ts';
import { findPerson, knownUser, type Person, resolvePerson } from '../people/people.service.ts';
import { defaultTriage, type RouteDecision } from '../routing/router.ts';
import { getSetting, intakeChannelKey } from '../settings/settings.ts';
import { ticketForThread } from '../tickets/ticket.repository.ts';
import type { TicketRow, TicketThreadRow } from '../tickets/ticket.table.ts';

export const TICKET_EMOJI = new Set(['ticket', 'admission_tickets', '🎫']);

export interface Prepared {
  sender: ChatUser;
  person: Person;
  /** The event's conversation row. */
  conversationId: number;
  /** Users the event names, as the directory answered (assign, role). */
  named?: ChatUser[] | undefined;
  /** A 🎫 reaction: the message's author, words and files. */
  author?: Person | undefined;
  targetText?: string | undefined;
  targetFiles?: ChatAttachment[] | undefined;
  /** A message in a ticket's thread (triage or requester). */
  thread?: { ticket: TicketRow; thread: TicketThreadRow } | undefined;
  /**
   * The requester's ticket a message outside any ticket thread continues (see `followedTicket`);
   * `waiting` when IT was waiting on them (it was pending), so the message reopens it.
   */
  openTicket?: { id: number; number: number; waiting: boolean } | undefined;
  /** A new request: the router's decision, and the conversation that holds the agents' state. */
  decision?: RouteDecision | undefined;
  stateConversationId?: number | undefined;
  /** The conversation whose agent state this message ends without continuing it (a ticket reply). */
  endsStateOf?: number | undefined;
  /** The language to answer the sender in (see src/core/i18n/choose.ts); English when undefined. */
  language?: Language | undefined;
}

/**
 * Undefined when there is nothing to do: a removal (handled on its own), or a message that is not
 * for the bot (channel chatter), decided from the event and the database before any directory call.
 */
export async function prepare(deps: CoreDeps, event: ChatEvent): Promise<Prepared | undefined> {
  if (event.kind === 'uninstalled') return undefined;
  await Promise.all([
    // Hearing from a place proves the bot is there again (re-installed, re-added).
    markHeardFrom(deps.db, event.conversation),
    // An event from a paused workspace: it is reachable again, so its waiting deliveries go out
    // (one refused delivery pauses it again).
    resumeDeliveries(deps, event.platform, event.conversation.tenant),
  ]);
  const facts = event.kind === 'message' ? await messageFacts(deps, event) : undefined;
  if (event.kind === 'message' && !facts) return undefined;
  const notifier = deps.notifiers[event.platform];
  const lookup = async (user: ChatUser) => {
    if (!notifier?.lookupUser || (user.email && user.displayName)) return user;
    try {
      return { ...user, ...(await notifier.lookupUser(user, event.conversation)) };
    } catch (error) {
      deps.log.warn({ err: error }, 'user look-up failed; continuing with what the event had');
      return user;
    }
  };
  const sender = await lookup(event.sender);
  const person = await resolvePerson(deps.db, deps.config, sender);
  const [conversation, remembered] = await Promise.all([
    upsertConversation(deps.db, event.conversation),
    rememberedLanguage(deps.db, person.id),
  ]);
  const conversationId = conversation.id;
  const speak = async (detected?: string, text?: string) => {
    const choice = chooseLanguage({ detected, text, locale: sender.locale, remembered });
    if (choice.fresh && choice.language !== remembered)
      await rememberLanguage(deps.db, person.id, choice.language);
    return choice.language;
  };
  const base = { sender, person, conversationId };
  if (event.kind === 'reaction') {
    if (!TICKET_EMOJI.has(event.emoji)) return base;
    let { text, author, attachments } = event.target;
    if ((!text || !author) && notifier?.fetchMessage) {
      const fetched = await notifier.fetchMessage(event.conversation, event.target.messageId);
      text ??= fetched?.text;
      author ??= fetched?.author;
      attachments ??= fetched?.attachments;
    }
    const authorPerson = author ? await resolvePerson(deps.db, deps.config, await lookup(author)) : undefined;
    return {
      ...base,
      targetText: text,
      targetFiles: attachments,
      author: authorPerson,
      language: await speak(),
    };
  }
  if (event.kind === 'message') {
    const prepared = await prepareMessage(deps, event, person, facts ?? {});
    const decided = prepared.decision;
    const detected = decided && 'triage' in decided ? decided.triage.language : decided?.language;
    return { ...base, ...prepared, language: await speak(detected, event.text) };
  }
  return { ...base, named: await lookupNamed(deps, event, lookup), language: await speak() };
}

/** What makes a message the bot's business, found without any platform call. */
interface MessageFacts {
  thread?: { ticket: TicketRow; thread: TicketThreadRow } | undefined;
}

/**
 * Undefined for a message that is not for the bot: no words and no files, or channel chatter that
 * is neither in a ticket's thread, nor addressed to the bot, nor in an intake channel, nor a known
 * requester continuing their ticket in a thread-less group chat.
 */
async function messageFacts(deps: CoreDeps, event: MessageEvent): Promise<MessageFacts | undefined> {
  if (!event.text.trim() && !event.attachments?.length) return undefined;
  const thread = await ticketForThread(deps.db, event.conversation);
  if (thread) return { thread };
  if (event.isDirect || event.mentionsBot || (await isIntake(deps.db, event))) return {};
  if (event.conversation.thread) return undefined;
  const known = await findPerson(deps.db, { platform: event.platform, userId: event.sender.userId });
  return known && (await followedTicket(deps.db, event, known)) ? {} : undefined;
}

async function prepareMessage(
  deps: CoreDeps,
  event: MessageEvent,
  person: Person,
  facts: MessageFacts,
): Promise<Partial<Prepared>> {
  const held = await stateConversationOf(deps.db, event);
  // A message that does not continue the agents' state ends it (see CARRY_OVER_WINDOW_MS).
  const ends = held?.state ? { endsStateOf: held.id } : {};
  if (facts.thread) return { thread: facts.thread, ...ends };
  const openTicket = await followedTicket(deps.db, event, person);
  if (openTicket) return { openTicket, ...ends };
  if (!event.isDirect && !event.mentionsBot && !(await isIntake(deps.db, event))) return {};
  // Stored before routing, so that even a first message's answer belongs to its conversation.
  const stateConversation =
    held ??
    (await upsertConversation(
      deps.db,
      event.isDirect ? { ...event.conversation, thread: undefined } : event.conversation,
    ));
  const text = event.text.trim();
  const files = event.attachments?.length ?? 0;
  // A file alone (a screenshot) is filed as it is: there are no words to triage or answer.
  const routed = text
    ? await deps.router.route({
        text,
        requesterId: person.id,
        conversationId: stateConversation.id,
        // Only fresh state is carried into this message; whatever the router decides replaces it.
        state: carriedState(stateConversation.state, deps.clock.now()),
      })
    : undefined;
  // Someone who sends a file has a concrete problem: with a file, the request is filed.
  const decision: RouteDecision =
    routed?.kind === 'file'
      ? routed
      : files > 0 || !routed
        ? { kind: 'file', triage: routed && 'triage' in routed ? routed.triage : defaultTriage(text) }
        : routed;
  return { decision, stateConversationId: stateConversation.id };
}

/** A command names a handful of people at most; more would only be directory calls for nothing. */
const MAX_NAMED = 5;

/**
 * Looks up the users a command (`assign #4 <@U123>`) or a users select names, so that someone
 * who never wrote to the bot can still be assigned or given a role. Only directory answers count.
 */
async function lookupNamed(deps: CoreDeps, event: ChatEvent, lookup: (user: ChatUser) => Promise<ChatUser>) {
  const ids = new Set<string>();
  if (event.kind === 'action' && event.inputs?.user) ids.add(event.inputs.user);
  if (event.kind === 'command') {
    // `approvers access <@U1>,<@U2>`: people in a comma list are named too.
    for (const arg of parseCommand(event.text.replace(/,/g, ' '))?.args ?? [])
      if (arg.kind === 'user' && arg.userId) ids.add(arg.userId);
  }
  if (ids.size === 0) return undefined;
  const found = await Promise.all(
    [...ids].slice(0, MAX_NAMED).map(async (userId) => {
      // An alias met before (a Teams `29:` id) names a stored identity: no directory call.
      if (await knownUser(deps.db, event.platform, userId)) return undefined;
      return lookup({ platform: event.platform, tenant: event.sender.tenant, userId });
    }),
  );
  return found.filter(
    (user): user is ChatUser =>
      user !== undefined && (user.email !== undefined || user.displayName !== undefined),
  );
}

async function isIntake(db: DbOrTx, event: MessageEvent): Promise<boolean> {
  if (event.isIntake) return true;
  if (event.conversation.thread && event.conversation.thread !== event.messageId) return false;
  return (await getSetting(db, intakeChannelKey(event.platform, event.conversation.channel))) !== undefined;
}

/**
 * The requester's ticket that a message outside any ticket thread continues. In a direct chat, a
 * ticket of theirs with a follow-up question open (a required form field), or else one that IT is
 * waiting on (pending), filed in this chat takes the message, whichever thread it was filed in (the
 * newest such one). Otherwise, in a thread-less chat (a Teams
 * 1:1, the top level of a Slack DM), their newest unresolved ticket filed right here does. Anyone
 * else in the chat (a group chat) is asking for themselves.
 */
async function followedTicket(db: DbOrTx, event: MessageEvent, person: Person) {
  const ref = event.conversation;
  if (!event.isDirect && ref.thread) return undefined;
  // Their unresolved tickets filed in this chat, newest first, in one round trip; the rules below
  // pick among them.
  const candidates = await db
    .selectFrom('ticket_threads')
    .innerJoin('tickets', 'tickets.id', 'ticket_threads.ticket_id')
    .select((eb) => [
      'tickets.id',
      'tickets.number',
      'tickets.status',
      'tickets.updated_at',
      'ticket_threads.thread',
      eb
        .exists(
          eb
            .selectFrom('ticket_fields')
            .select('ticket_fields.id')
            .whereRef('ticket_fields.ticket_id', '=', 'tickets.id')
            .where('ticket_fields.value', 'is', null)
            .where('ticket_fields.skipped', '=', false)
            .where('ticket_fields.asked_at', 'is not', null),
        )
        .as('asked'),
    ])
    .where('ticket_threads.role', '=', 'requester')
    .where('ticket_threads.platform', '=', ref.platform)
    .where('ticket_threads.channel', '=', ref.channel)
    .where('tickets.requester_id', '=', person.id)
    .where('tickets.status', 'not in', ['resolved', 'closed'])
    .orderBy('tickets.id', 'desc')
    .execute();
  if (event.isDirect) {
    // A follow-up question for a required field (see forms) takes the answer, in any thread.
    const asked = candidates.find((ticket) => ticket.asked);
    if (asked) return { id: asked.id, number: asked.number, waiting: false };
    const [waiting] = candidates
      .filter((ticket) => ticket.status === 'pending')
      .sort((a, b) => b.updated_at.getTime() - a.updated_at.getTime() || b.id - a.id);
    if (waiting) return { id: waiting.id, number: waiting.number, waiting: true };
  }
  if (ref.thread) return undefined;
  const open = candidates.find((ticket) => ticket.thread === null);
  return open ? { id: open.id, number: open.number, waiting: open.status === 'pending' } : undefined;
}
