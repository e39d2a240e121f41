/** Filing a ticket: the one use case that starts a ticket rather than changing one. */

import { needsApproval, requestApproval } from '../approvals/approval.service.ts';
import { ticketCard } from '../chat/cards.ts';
import type { ConversationRef } from '../chat/chat.ts';
import { json, type Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { askNextField, storeTicketFields } from '../forms/form.service.ts';
import { requesterMessages, teamMessages } from '../i18n/choose.ts';
import { queueMessage } from '../outbox/outbox.ts';
import type { Person } from '../people/people.service.ts';
import type { Triage } from '../routing/router.ts';
import { triageChannels } from '../settings/settings.ts';
import { addAttachments, type StoredAttachment } from './attachments.ts';
import { afterTicketChange, type Outcome, runFollowUps } from './ticket.change.ts';
import { cardView, recordEvent } from './ticket.repository.ts';
import { titleFrom } from './ticket.ts';

export interface NewTicketInput {
  description: string;
  title?: string | undefined;
  triage?: Partial<Triage> | undefined;
  /**
   * Where the requester asked: the acknowledgement and agent replies go here. None for a ticket
   * filed through the API for someone the helpdesk cannot reach in chat yet (the timeline keeps all).
   */
  conversation: ConversationRef | undefined;
  conversationId?: number | undefined;
  sourceEventId?: number | undefined;
  /** Who the ticket is for, when not the actor (a 🎫 reaction files for the message's author). */
  requesterId?: number | undefined;
  /** Files on the request (a screenshot); a request may be only a file. */
  files?: readonly StoredAttachment[] | undefined;
  /** The request form's answers, by field name (`System: SAP`). */
  fields?: Record<string, string> | undefined;
}

/** Files a ticket: acknowledges the requester and posts the card to every triage channel. */
export async function createTicket(
  deps: CoreDeps,
  tx: Tx,
  actor: Person,
  input: NewTicketInput,
): Promise<Outcome> {
  const triage = input.triage ?? {};
  const files = input.files ?? [];
  const fileNames = files.map((file) => file.name).join(', ');
  // A file alone is a request too: its name stands in for the words until the requester adds some.
  const description =
    input.description.trim() || (fileNames ? `(sent ${fileNames} without a description)` : '');
  if (!description) return { ok: false, refusal: { code: 'empty_request' } };
  const hasWords = input.description.trim() !== '';
  const titled = input.title ?? (hasWords ? triage.title : `Sent a file: ${fileNames}`);
  const now = deps.clock.now();
  const category = triage.category ?? 'other';
  // A request in a category that needs approval waits for it before IT (and assignment) sees it.
  const awaiting = await needsApproval(tx, category, triage.intent);
  const filed = await tx
    .insertInto('tickets')
    .values({
      requester_id: input.requesterId ?? actor.id,
      assignee_id: null,
      title: (titled ?? titleFrom(description)).slice(0, 200),
      description,
      category,
      priority: triage.priority ?? 'P3',
      status: awaiting ? 'awaiting_approval' : 'new',
      intent: triage.intent ?? null,
      language: triage.language ?? null,
      sentiment: triage.sentiment ?? null,
      self_service: triage.self_service ?? null,
      source_conversation_id: input.conversationId ?? null,
      source_event_id: input.sourceEventId ?? null,
      resolution: null,
      csat: null,
      first_response_at: null,
      first_response_due_at: null,
      resolution_due_at: null,
      resolved_at: null,
      closed_at: null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await addAttachments(tx, { ticketId: filed.id, addedBy: filed.requester_id, files });
  await storeTicketFields(tx, filed, input.fields ?? {}, now);
  // The SLA due times are known before the card is drawn, so the first card shows them.
  const { ticket } = await afterTicketChange(deps, tx, {
    type: 'created',
    ticket: filed,
    before: null,
    actorId: actor.id,
  });
  await recordEvent(tx, {
    ticketId: ticket.id,
    actorId: actor.id,
    type: 'created',
    at: now,
    after: {
      title: ticket.title,
      category: ticket.category,
      priority: ticket.priority,
      status: ticket.status,
    },
    body: description,
  });
  const conversation = input.conversation;
  const requesterThread = conversation
    ? await tx
        .insertInto('ticket_threads')
        .values({
          ticket_id: ticket.id,
          role: 'requester',
          platform: conversation.platform,
          channel: conversation.channel,
          thread: conversation.thread ?? null,
          ref: json(conversation),
          card_outbox_id: null,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst()
    : undefined;
  if (conversation && requesterThread) {
    const m = await requesterMessages(tx, ticket);
    await queueMessage(tx, {
      key: `ticket-${ticket.id}-ack`,
      op: 'post',
      target: conversation,
      message: {
        text: awaiting
          ? m.ackFiledAwaiting(ticket)
          : hasWords
            ? m.ackFiled(ticket)
            : m.ackFiledFiles({ number: ticket.number, count: files.length, names: fileNames }),
      },
      ticketId: ticket.id,
    });
  }
  const card = ticketCard(await cardView(tx, ticket), await teamMessages(tx));
  for (const channel of await triageChannels(tx)) {
    const thread = await tx
      .insertInto('ticket_threads')
      .values({
        ticket_id: ticket.id,
        role: 'triage',
        platform: channel.platform,
        channel: channel.channel,
        thread: null,
        ref: json(channel),
        card_outbox_id: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const outboxId = await queueMessage(tx, {
      key: `ticket-${ticket.id}-card-${thread.id}`,
      op: 'post',
      target: { ...channel, thread: undefined },
      message: card,
      ticketId: ticket.id,
      purpose: 'ticket-card',
    });
    if (outboxId) {
      await tx
        .updateTable('ticket_threads')
        .set({ card_outbox_id: outboxId })
        .where('id', '=', thread.id)
        .execute();
    }
  }
  if (awaiting) await requestApproval(deps, tx, ticket);
  // A request from a direct chat that left out a required field is asked for it, one at a time.
  if (conversation?.isDirect && requesterThread) await askNextField(tx, ticket, conversation, now);
  // Automatic assignment and the like, once the card is queued (so it notifies in the card's thread).
  const followed = await runFollowUps(deps, tx, { type: 'created', ticket, before: null, actorId: actor.id });
  return { ok: true as const, ticket: followed };
}
