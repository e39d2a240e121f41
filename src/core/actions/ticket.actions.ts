import { csatCard } from '../chat/cards.ts';
import type { ActionEvent } from '../chat/chat.ts';
import { mentionOf } from '../chat/mention.ts';
import type { CommandResult } from '../commands/command.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { formFieldsOf, valuesFromInputs } from '../forms/form.service.ts';
import { messagesFor } from '../i18n/i18n.ts';
import { namedPerson, type Person, requireRole } from '../people/people.service.ts';
import { refusalText } from '../tickets/refusal.ts';
import * as tickets from '../tickets/ticket.service.ts';
import { isCategory, isPriority } from '../tickets/ticket.ts';
import type { ActionContext, ActionSpec } from './action.ts';
import { pressedCard, replacePressedCard } from './pressed-card.ts';

const say = (text: string): CommandResult => ({ reply: { text } });

function ticketIdOf(event: ActionEvent): number | undefined {
  const id = Number.parseInt(event.value.split(':')[0] ?? '', 10);
  return Number.isFinite(id) ? id : undefined;
}

function simple(
  actionId: string,
  act: (
    deps: CoreDeps,
    tx: Tx,
    actor: Person,
    ticketId: number,
    event: ActionEvent,
    ctx: ActionContext,
  ) => Promise<tickets.Outcome | CommandResult>,
): ActionSpec<CoreDeps> {
  return {
    actionId,
    async run(deps, tx, actor, event, ctx) {
      const ticketId = ticketIdOf(event);
      if (ticketId === undefined) return say('That button is missing its ticket.');
      const result = await act(deps, tx, actor, ticketId, event, ctx);
      if ('ok' in result) return result.ok ? undefined : say(refusalText(result.refusal, ctx.language));
      return result;
    },
  };
}

/** Asks for text in a dialog when the platform gave a trigger and no text came with the click. */
function withText(
  actionId: string,
  title: string,
  label: string,
  act: (deps: CoreDeps, tx: Tx, actor: Person, ticketId: number, text: string) => Promise<tickets.Outcome>,
): ActionSpec<CoreDeps>[] {
  return [
    simple(actionId, async (deps, tx, actor, ticketId, event) => {
      const text = event.inputs?.note?.trim();
      if (text) return act(deps, tx, actor, ticketId, text);
      return {
        dialog: {
          callbackId: `${actionId}.submit`,
          title,
          submitLabel: 'Save',
          privateValue: String(ticketId),
          inputs: [{ id: 'note', label, multiline: true }],
        },
        fallback: { text: `${title}: reply with the text.` },
      };
    }),
    simple(`${actionId}.submit`, (deps, tx, actor, ticketId, event) =>
      act(deps, tx, actor, ticketId, event.inputs?.note ?? ''),
    ),
  ];
}

export const ticketActions: ActionSpec<CoreDeps>[] = [
  simple('ticket.claim', (deps, tx, actor, id) => tickets.claimTicket(deps, tx, actor, id)),
  simple('ticket.assign', async (deps, tx, actor, id, event, ctx) => {
    // Checked here as well as in the use case: a refused click must not create anyone.
    const access = requireRole(actor, 'agent');
    if (!access.ok) return say(access.reason);
    const userId = event.inputs?.user ?? '';
    if (!userId) return say('Pick someone to assign the ticket to.');
    const platform = ctx.sender.platform;
    const found = await namedPerson(
      tx,
      deps.config,
      { platform, userId, name: userId, raw: mentionOf(platform, userId, null) },
      ctx.named,
    );
    if (!found.ok) return say(found.reason);
    const mention = mentionOf(platform, userId, found.person.displayName);
    return tickets.assignTicket(deps, tx, actor, id, found.person, mention);
  }),
  simple('ticket.priority', (deps, tx, actor, id, event) => {
    const priority = ((event.inputs?.priority ?? event.value).split(':').pop() ?? '').toUpperCase();
    if (!isPriority(priority)) return Promise.resolve(say('Pick P1, P2, P3 or P4.'));
    return tickets.setPriority(deps, tx, actor, id, priority);
  }),
  ...withText(
    'ticket.resolve',
    'Resolve ticket',
    'Resolution note (the requester sees it)',
    (deps, tx, actor, id, text) => tickets.resolveTicket(deps, tx, actor, id, text),
  ),
  ...withText('ticket.note', 'Internal note', 'Note (agents only)', (deps, tx, actor, id, text) =>
    tickets.addNote(deps, tx, actor, id, text),
  ),
  simple('ticket.reopen', (deps, tx, actor, id) => tickets.reopenTicket(deps, tx, actor, id)),
  simple('ticket.close', (deps, tx, actor, id) => tickets.closeTicket(deps, tx, actor, id)),
  simple('csat.rate', async (deps, tx, actor, id, event, ctx) => {
    const score = Number.parseInt(event.value.split(':')[1] ?? '', 10);
    const result = await tickets.rateTicket(deps, tx, actor, id, score);
    if (!result.ok) return say(refusalText(result.refusal, ctx.language));
    const m = messagesFor(ctx.language);
    const { ticket } = result;
    // The card itself says thanks and marks the rating; a message as well would say it twice.
    const pressed = await pressedCard(tx, event, 'csat');
    if (!pressed) return say(m.csatThanks(ticket.number, '★'.repeat(score)));
    await replacePressedCard(tx, pressed, {
      // One update per click: a later click (even back to an earlier score) must show again.
      key: `csat-${event.platform}-${event.eventId}`,
      message: csatCard(ticket.id, ticket.number, score, m),
      purpose: 'csat-update',
    });
    return result;
  }),
  {
    actionId: 'ticket.new.submit',
    async run(deps, tx, actor, event, ctx) {
      const inputs = event.inputs ?? {};
      const description = (inputs.description ?? '').trim();
      if (!description) return say(messagesFor(ctx.language).describeProblem);
      // A category's request form (`new access`) names its category in the form's private value.
      const form = isCategory(event.value) ? event.value : undefined;
      const chosen = inputs.category && isCategory(inputs.category) ? inputs.category : undefined;
      const category = form ?? chosen;
      const priority = inputs.urgency && isPriority(inputs.urgency) ? inputs.urgency : undefined;
      const fields = category ? valuesFromInputs(await formFieldsOf(tx, category), inputs) : {};
      const result = await tickets.createTicket(deps, tx, actor, {
        description,
        title: inputs.title?.trim() || undefined,
        fields,
        triage: {
          ...(category ? { category } : {}),
          ...(priority ? { priority } : {}),
          // Filling in a category's request form is asking for something.
          ...(form ? { intent: 'request' as const } : {}),
        },
        conversation: ctx.conversation,
        conversationId: ctx.conversationId,
      });
      return result.ok ? undefined : say(refusalText(result.refusal, ctx.language));
    },
  },
];
