import { sql } from 'kysely';
import { runAction } from '../actions/registry.ts';
import { answerCard } from '../chat/cards.ts';
import type { ChatEvent, ChatUser, ConversationRef, MessageEvent } from '../chat/chat.ts';
import { parseCommand } from '../commands/parse.ts';
import { type CommandResult, runCommand } from '../commands/registry.ts';
import {
  setConversationState,
  stateConversationOf,
  upsertConversation,
} from '../conversations/conversation.repository.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { earlierInLane } from '../inbox/inbox.ts';
import { RetryLaterError } from '../jobs/jobs.ts';
import { queueMessage } from '../outbox/outbox.ts';
import { findPerson, hasRole, type Person, resolvePerson } from '../people/people.service.ts';
import type { RouteDecision } from '../routing/router.ts';
import { getSetting, intakeChannelKey } from '../settings/settings.ts';
import { ticketForThread } from '../tickets/ticket.repository.ts';
import * as tickets from '../tickets/ticket.service.ts';
import { jobsAfterCommit, runEffects, trackEffects } from '../unit-of-work.ts';

export const MAX_EVENT_ATTEMPTS = 5;
const TICKET_EMOJI = new Set(['ticket', 'admission_tickets', '🎫']);

/** Work done before the transaction: directory look-ups and model calls must not hold locks. */
interface Prepared {
  sender: ChatUser;
  /** Users the event names, as the directory answered (assign, role). */
  named?: ChatUser[] | undefined;
  author?: ChatUser | undefined;
  targetText?: string | undefined;
  decision?: RouteDecision | undefined;
}

/**
 * Runs the use case for one recorded inbound event, exactly once: the change and the event's
 * `done` mark commit together, so a retried job finds it done and does nothing.
 */
export async function processEvent(deps: CoreDeps, inboundEventId: string): Promise<'done' | 'skipped'> {
  const row = await deps.db
    .selectFrom('inbound_events')
    .select(['id', 'status', 'payload', 'attempts', 'lane'])
    .where('id', '=', inboundEventId)
    .executeTakeFirst();
  if (row?.status !== 'pending') return 'skipped';
  // Two replies in one thread, processed at once by two workers, would reach the other side in
  // either order: wait for the earlier one instead (not a failed attempt).
  const earlier = await earlierInLane(deps.db, inboundEventId, row.lane);
  if (earlier) throw new RetryLaterError(`waiting for inbound event ${earlier} in the same thread`, 150);
  const event = row.payload;
  const log = deps.log.child({ inboundEventId, kind: event.kind, platform: event.platform });
  try {
    const prepared = await prepare(deps, event);
    let effects: ReturnType<typeof trackEffects> | undefined;
    const handled = await deps.db.transaction().execute(async (tx) => {
      effects = trackEffects(tx);
      const locked = await tx
        .selectFrom('inbound_events')
        .select('status')
        .where('id', '=', inboundEventId)
        .forUpdate()
        .executeTakeFirst();
      if (locked?.status !== 'pending') return false;
      await handle(
        { ...deps, db: tx, jobs: jobsAfterCommit(tx, deps.jobs), log },
        tx,
        event,
        inboundEventId,
        prepared,
      );
      await tx
        .updateTable('inbound_events')
        .set({ status: 'done', processed_at: deps.clock.now(), attempts: sql`attempts + 1`, error: null })
        .where('id', '=', inboundEventId)
        .execute();
      return true;
    });
    if (effects) await runEffects(deps, effects);
    return handled ? 'done' : 'skipped';
  } catch (error) {
    const attempts = row.attempts + 1;
    const message = error instanceof Error ? error.message : String(error);
    log.error({ err: error, attempts }, 'processing an inbound event failed');
    await deps.db
      .updateTable('inbound_events')
      .set({
        attempts,
        error: message.slice(0, 2000),
        status: attempts >= MAX_EVENT_ATTEMPTS ? 'failed' : 'pending',
      })
      .where('id', '=', inboundEventId)
      .execute();
    throw error;
  }
}

async function prepare(deps: CoreDeps, event: ChatEvent): Promise<Prepared> {
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
  if (event.kind === 'reaction' && TICKET_EMOJI.has(event.emoji)) {
    let { text, author } = event.target;
    if ((!text || !author) && notifier?.fetchMessage) {
      const fetched = await notifier.fetchMessage(event.conversation, event.target.messageId);
      text ??= fetched?.text;
      author ??= fetched?.author;
    }
    return { sender, targetText: text, author: author ? await lookup(author) : undefined };
  }
  if (event.kind === 'message' && (await needsRouting(deps, event))) {
    // Stored before routing, so that even a first message's answer belongs to its conversation.
    const stateConversation =
      (await stateConversationOf(deps.db, event)) ??
      (await upsertConversation(
        deps.db,
        event.isDirect ? { ...event.conversation, thread: undefined } : event.conversation,
      ));
    const person = await resolvePerson(deps.db, deps.config, sender);
    const decision = await deps.router.route({
      text: event.text,
      requesterId: person.id,
      conversationId: stateConversation.id,
      state: stateConversation.state ?? null,
    });
    return { sender, decision };
  }
  return { sender, named: await lookupNamed(event, lookup) };
}

/** A command names a handful of people at most; more would only be directory calls for nothing. */
const MAX_NAMED = 5;

/**
 * Looks up the users a command (`assign #4 <@U123>`) or a users select names, so that someone
 * who never wrote to the bot can still be assigned or given a role. Only directory answers count.
 */
async function lookupNamed(event: ChatEvent, lookup: (user: ChatUser) => Promise<ChatUser>) {
  const ids = new Set<string>();
  if (event.kind === 'action' && event.inputs?.user) ids.add(event.inputs.user);
  if (event.kind === 'command') {
    for (const arg of parseCommand(event.text)?.args ?? [])
      if (arg.kind === 'user' && arg.userId) ids.add(arg.userId);
  }
  if (ids.size === 0) return undefined;
  const found = await Promise.all(
    [...ids]
      .slice(0, MAX_NAMED)
      .map((userId) => lookup({ platform: event.platform, tenant: event.sender.tenant, userId })),
  );
  return found.filter((user) => user.email !== undefined || user.displayName !== undefined);
}

/** True when a message is a new request (not a thread reply or a follow-up to an open ticket). */
async function needsRouting(deps: CoreDeps, event: MessageEvent): Promise<boolean> {
  if (!event.text.trim()) return false;
  if (await ticketForThread(deps.db, event.conversation)) return false;
  if (!event.isDirect && !event.mentionsBot && !(await isIntake(deps, event))) return false;
  const open = await openTicketHere(deps.db, event.conversation);
  if (!open) return true;
  // A follow-up from the requester joins their open ticket; anyone else in the chat (a group chat)
  // is asking for themselves.
  const sender = await findPerson(deps.db, { platform: event.platform, userId: event.sender.userId });
  return sender?.id !== open.requester_id;
}

async function isIntake(deps: Pick<CoreDeps, 'db'>, event: MessageEvent): Promise<boolean> {
  if (event.isIntake) return true;
  if (event.conversation.thread && event.conversation.thread !== event.messageId) return false;
  return (
    (await getSetting(deps.db, intakeChannelKey(event.platform, event.conversation.channel))) !== undefined
  );
}

/** An open ticket whose requester conversation is this one (thread-less chats such as a Teams 1:1). */
async function openTicketHere(db: CoreDeps['db'], ref: ConversationRef) {
  if (ref.thread) return undefined;
  return db
    .selectFrom('ticket_threads')
    .innerJoin('tickets', 'tickets.id', 'ticket_threads.ticket_id')
    .select(['tickets.id', 'tickets.requester_id'])
    .where('ticket_threads.role', '=', 'requester')
    .where('ticket_threads.platform', '=', ref.platform)
    .where('ticket_threads.channel', '=', ref.channel)
    .where('ticket_threads.thread', 'is', null)
    .where('tickets.status', 'in', ['new', 'open', 'pending'])
    .orderBy('tickets.id', 'desc')
    .executeTakeFirst();
}

async function handle(deps: CoreDeps, tx: Tx, event: ChatEvent, inboundEventId: string, prepared: Prepared) {
  const person = await resolvePerson(tx, deps.config, prepared.sender);
  const conversation = await upsertConversation(tx, event.conversation);
  const ctx = {
    sender: prepared.sender,
    conversation: event.conversation,
    conversationId: conversation.id,
    triggerId: 'triggerId' in event ? event.triggerId : undefined,
    eventId: event.eventId,
    named: prepared.named,
  };
  const answer = (result: CommandResult | undefined) =>
    deliverResult(tx, person, event, inboundEventId, result);
  switch (event.kind) {
    case 'command':
      return answer(await runCommand(deps, person, event.text, ctx));
    case 'action':
      return answer(await runAction(deps, person, event, ctx));
    case 'installed':
      await queueMessage(tx, {
        key: `welcome-${inboundEventId}`,
        op: 'post',
        target: { ...event.conversation, thread: undefined },
        message: {
          text:
            "👋 Hi! I'm the IT helpdesk. Message me (or mention me) with what's wrong and I'll answer or file a ticket. " +
            'Type `helpdesk help` for commands. Admins: `helpdesk config triage-channel here` makes this the channel where tickets are worked.',
        },
      });
      return;
    case 'reaction': {
      if (!TICKET_EMOJI.has(event.emoji)) return;
      if (!prepared.targetText || !prepared.author) {
        return answer({ reply: { text: "I couldn't read that message, so I couldn't file it." } });
      }
      const requester = await resolvePerson(tx, deps.config, prepared.author);
      const result = await tickets.createTicket(deps, person, {
        description: prepared.targetText,
        requesterId: requester.id,
        conversation: { ...event.conversation, thread: event.conversation.thread ?? event.target.messageId },
        conversationId: conversation.id,
        sourceEventId: inboundEventId,
      });
      return result.ok ? undefined : answer({ reply: { text: result.reason } });
    }
    case 'message':
      return handleMessage(deps, tx, person, event, conversation.id, inboundEventId, prepared.decision);
  }
}

async function handleMessage(
  deps: CoreDeps,
  tx: Tx,
  person: Person,
  event: MessageEvent,
  conversationId: number,
  inboundEventId: string,
  decision: RouteDecision | undefined,
) {
  const text = event.text.trim();
  if (!text) return;
  const thread = await ticketForThread(tx, event.conversation);
  if (thread) {
    if (thread.thread.role === 'triage') {
      if (!hasRole(person.role, 'agent')) return;
      const note = /^note:\s*/i.exec(text);
      if (note)
        return void (await tickets.addNote(deps, person, thread.ticket.id, text.slice(note[0].length), true));
      return void (await tickets.agentReply(deps, person, thread.ticket.id, text, true));
    }
    return void (await tickets.requesterReply(deps, person, thread.ticket.id, text));
  }
  const followUp = await openTicketHere(tx, event.conversation);
  if (followUp && followUp.requester_id === person.id) {
    return void (await tickets.requesterReply(deps, person, followUp.id, text));
  }
  if (!decision) return;
  const target = event.conversation;
  const stateConversation = event.isDirect
    ? await upsertConversation(tx, { ...event.conversation, thread: undefined })
    : { id: conversationId };
  switch (decision.kind) {
    case 'file': {
      await setConversationState(tx, stateConversation.id, null);
      const result = await tickets.createTicket(deps, person, {
        description: decision.summary ?? text,
        title: decision.triage.title,
        triage: decision.triage,
        conversation: target,
        conversationId,
        sourceEventId: inboundEventId,
      });
      if (!result.ok) await post(tx, target, inboundEventId, result.reason);
      return;
    }
    case 'answer':
      await setConversationState(tx, stateConversation.id, {
        answer: { inboundEventId, articles: decision.articles },
      });
      await queueMessage(tx, {
        key: `answer-${inboundEventId}`,
        op: 'post',
        target,
        message: answerCard({
          answer: decision.answer,
          articles: decision.articles,
          // The recorded answer when the router names it; else the message, looked up by conversation.
          answerId: decision.answerId ? `answer:${decision.answerId}` : inboundEventId,
        }),
      });
      return;
    case 'clarify':
      await setConversationState(tx, stateConversation.id, decision.state);
      return post(tx, target, inboundEventId, decision.question);
    case 'chatter':
      return post(tx, target, inboundEventId, decision.reply);
  }
}

async function post(tx: Tx, target: ConversationRef, inboundEventId: string, text: string) {
  await queueMessage(tx, { key: `reply-${inboundEventId}`, op: 'post', target, message: { text } });
}

/** Command and action answers go only to the person who asked. */
async function deliverResult(
  tx: Tx,
  person: Person,
  event: ChatEvent,
  inboundEventId: string,
  result: CommandResult | undefined,
) {
  if (!result) return;
  const key = `result-${inboundEventId}`;
  const target = event.conversation;
  if ('home' in result) {
    await queueMessage(tx, { key, op: 'home', target, userId: event.sender.userId, messages: result.home });
    return;
  }
  if ('dialog' in result) {
    await queueMessage(tx, {
      key,
      op: 'dialog',
      target,
      dialog: result.dialog,
      triggerId: 'triggerId' in event ? (event.triggerId ?? '') : '',
      userId: event.sender.userId,
    });
    return;
  }
  void person;
  await queueMessage(tx, {
    key,
    op: result.public ? 'post' : 'ephemeral',
    target,
    message: result.reply,
    userId: event.sender.userId,
  });
}
