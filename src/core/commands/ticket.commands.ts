import { ticketCard } from '../chat/cards.ts';
import type { OutMessage } from '../chat/chat.ts';
import type { DbOrTx, Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { teamMessages } from '../i18n/choose.ts';
import { messagesFor } from '../i18n/i18n.ts';
import { hasRole, type Person } from '../people/people.service.ts';
import { refusalText } from '../tickets/refusal.ts';
import { cardView, findTicketByNumber } from '../tickets/ticket.repository.ts';
import * as tickets from '../tickets/ticket.service.ts';
import type { TicketRow } from '../tickets/ticket.table.ts';
import { isPriority, PRIORITIES } from '../tickets/ticket.ts';
import { timelineLines } from '../tickets/timeline.ts';
import type { CommandContext, CommandResult, CommandSpec } from './command.ts';
import { personNamed, reply } from './command.ts';
import type { Arg } from './parse.ts';
import { textAfter } from './parse.ts';

type Found = { ticket: TicketRow } | { result: CommandResult };

async function ticketArg(db: DbOrTx, args: Arg[], usage: string): Promise<Found> {
  const arg = args[0];
  if (arg?.kind !== 'ticket') return { result: reply(`Usage: \`${usage}\``) };
  const ticket = await findTicketByNumber(db, arg.number);
  if (!ticket) return { result: reply(`There is no ticket #${arg.raw.replace(/^#/, '')}.`) };
  return { ticket };
}

function outcome(result: tickets.Outcome, done: (t: TicketRow) => string): CommandResult {
  return result.ok ? reply(done(result.ticket)) : reply(refusalText(result.refusal));
}

/** A command of the form `<name> #N [text]` that runs one ticket use case. */
function ticketCommand(
  name: string,
  usage: string,
  summary: string,
  role: CommandSpec<CoreDeps>['role'],
  act: (
    deps: CoreDeps,
    tx: Tx,
    actor: Person,
    ticket: TicketRow,
    text: string,
    ctx: CommandContext,
  ) => Promise<CommandResult>,
): CommandSpec<CoreDeps> {
  return {
    name,
    usage,
    summary,
    role,
    async run(deps, tx, actor, args, ctx) {
      const found = await ticketArg(tx, args, usage);
      if ('result' in found) return found.result;
      return act(deps, tx, actor, found.ticket, textAfter(ctx.parsed, 1), ctx);
    },
  };
}

async function listLine(db: DbOrTx, ticket: TicketRow): Promise<string> {
  const view = await cardView(db, ticket);
  return `#${ticket.number} [${ticket.priority}] ${ticket.title} — ${ticket.status}${view.assigneeName ? `, ${view.assigneeName}` : ', unassigned'}`;
}

export async function myTickets(db: DbOrTx, actor: Person, limit = 20): Promise<TicketRow[]> {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('requester_id', '=', actor.id)
    .orderBy((eb) => eb.case().when('status', 'in', ['new', 'open', 'pending']).then(0).else(1).end())
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Open tickets by priority, unassigned first, oldest first. */
export async function openQueue(db: DbOrTx, limit = 25): Promise<TicketRow[]> {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('status', 'in', ['new', 'open', 'pending'])
    .orderBy('priority')
    .orderBy((eb) => eb.case().when('assignee_id', 'is', null).then(0).else(1).end())
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

async function showTicket(
  db: DbOrTx,
  actor: Person,
  ticket: TicketRow,
  ctx: CommandContext,
): Promise<CommandResult> {
  const isAgent = hasRole(actor.role, 'agent');
  if (!isAgent && ticket.requester_id !== actor.id)
    return reply(messagesFor(ctx.language).showNotYours(ticket.number));
  // Agents read cards in the team's language, a requester their own ticket in theirs.
  const m = isAgent ? await teamMessages(db) : messagesFor(ctx.language);
  const card = ticketCard(await cardView(db, ticket), m);
  const lines = await timelineLines(db, ticket.id, isAgent);
  const timeline = `${m.timeline}:\n${lines.join('\n')}`;
  const message: OutMessage = {
    text: `${card.text}\n\n${timeline}`,
    card: card.card
      ? { ...card.card, actions: isAgent ? card.card.actions : [], context: timeline }
      : undefined,
  };
  return { reply: message };
}

export const ticketCommands: CommandSpec<CoreDeps>[] = [
  {
    name: 'new',
    usage: 'new <what is wrong>',
    summary: 'file a ticket',
    role: 'requester',
    async run(deps, tx, actor, _args, ctx) {
      const text = ctx.parsed.rest;
      if (!text && ctx.triggerId) {
        return {
          dialog: {
            callbackId: 'ticket.new.submit',
            title: 'New IT ticket',
            submitLabel: 'File ticket',
            privateValue: '',
            inputs: [
              { id: 'title', label: 'Title' },
              { id: 'description', label: 'What is wrong?', multiline: true },
              {
                id: 'category',
                label: 'Category',
                optional: true,
                options: [
                  'access',
                  'hardware',
                  'software',
                  'network',
                  'email',
                  'printing',
                  'security',
                  'other',
                ].map((c) => ({ label: c, value: c })),
              },
              {
                id: 'urgency',
                label: 'Urgency',
                optional: true,
                options: [
                  { label: 'Low — no rush', value: 'P4' },
                  { label: 'Normal — I have a workaround', value: 'P3' },
                  { label: 'High — I cannot work', value: 'P2' },
                  { label: 'Critical — many people affected', value: 'P1' },
                ],
              },
            ],
          },
          fallback: { text: 'Opening the new-ticket form…' },
        };
      }
      const result = await tickets.createTicket(deps, tx, actor, {
        description: text,
        conversation: ctx.conversation,
        conversationId: ctx.conversationId,
      });
      // Filing acknowledges the requester where they asked; a second confirmation would repeat it.
      return result.ok ? { answered: true } : reply(refusalText(result.refusal, ctx.language));
    },
  },
  {
    name: 'mine',
    usage: 'mine',
    summary: 'your tickets',
    role: 'requester',
    async run(_deps, tx, actor, _args, ctx) {
      const m = messagesFor(ctx.language);
      const rows = await myTickets(tx, actor);
      if (rows.length === 0) return reply(m.mineEmpty);
      const lines = await Promise.all(rows.map((t) => listLine(tx, t)));
      return reply(`${m.mineHeader}\n${lines.join('\n')}`);
    },
  },
  ticketCommand(
    'show',
    'show #N',
    'a ticket and its whole timeline',
    'requester',
    (_deps, tx, actor, ticket, _text, ctx) => showTicket(tx, actor, ticket, ctx),
  ),
  {
    name: 'queue',
    usage: 'queue',
    summary: 'open tickets by priority, unassigned first',
    role: 'agent',
    async run(_deps, tx) {
      const rows = await openQueue(tx);
      if (rows.length === 0) return reply('The queue is empty. 🎉');
      const lines = await Promise.all(rows.map((t) => listLine(tx, t)));
      return reply(`Open tickets:\n${lines.join('\n')}`);
    },
  },
  ticketCommand('claim', 'claim #N', 'take a ticket', 'agent', async (deps, tx, actor, ticket) =>
    outcome(await tickets.claimTicket(deps, tx, actor, ticket.id), (t) => `You have #${t.number}.`),
  ),
  ticketCommand(
    'assign',
    'assign #N @who',
    'give a ticket to an agent',
    'agent',
    async (deps, tx, actor, ticket, _text, ctx) => {
      const who = ctx.parsed.args[1];
      if (who?.kind !== 'user') return reply('Usage: `assign #N @who`');
      const found = await personNamed(tx, deps, ctx, who);
      if (!found.ok) return reply(found.reason);
      const assignee = found.person;
      return outcome(
        await tickets.assignTicket(deps, tx, actor, ticket.id, assignee, who.userId ? who.raw : undefined),
        (t) => `#${t.number} is now with ${assignee.displayName}.`,
      );
    },
  ),
  ticketCommand(
    'priority',
    'priority #N P1|P2|P3|P4',
    'change the priority',
    'agent',
    async (deps, tx, actor, ticket, text) => {
      const priority = text.toUpperCase();
      if (!isPriority(priority)) return reply(`Usage: \`priority #N ${PRIORITIES.join('|')}\``);
      return outcome(
        await tickets.setPriority(deps, tx, actor, ticket.id, priority),
        (t) => `#${t.number} is now ${t.priority}.`,
      );
    },
  ),
  ticketCommand(
    'note',
    'note #N <text>',
    'an internal note (agents only see it)',
    'agent',
    async (deps, tx, actor, ticket, text) => {
      if (!text) return reply('Usage: `note #N <text>`');
      return outcome(
        await tickets.addNote(deps, tx, actor, ticket.id, text),
        (t) => `Noted on #${t.number}.`,
      );
    },
  ),
  ticketCommand(
    'reply',
    'reply #N <text>',
    'answer the requester',
    'agent',
    async (deps, tx, actor, ticket, text) => {
      if (!text) return reply('Usage: `reply #N <text>`');
      return outcome(
        await tickets.agentReply(deps, tx, actor, ticket.id, text),
        (t) => `Sent to the requester of #${t.number}.`,
      );
    },
  ),
  ticketCommand(
    'pending',
    'pending #N [question]',
    'wait on the requester (SLA paused)',
    'agent',
    async (deps, tx, actor, ticket, text) =>
      outcome(
        await tickets.setPending(deps, tx, actor, ticket.id, text || undefined),
        (t) => `#${t.number} is waiting on the requester.`,
      ),
  ),
  ticketCommand(
    'resolve',
    'resolve #N <resolution>',
    'resolve a ticket',
    'agent',
    async (deps, tx, actor, ticket, text) =>
      outcome(await tickets.resolveTicket(deps, tx, actor, ticket.id, text), (t) => `Resolved #${t.number}.`),
  ),
  ticketCommand(
    'reopen',
    'reopen #N',
    'reopen a resolved ticket',
    'requester',
    async (deps, tx, actor, ticket) =>
      outcome(await tickets.reopenTicket(deps, tx, actor, ticket.id), (t) => `Reopened #${t.number}.`),
  ),
  ticketCommand('close', 'close #N', 'close a ticket', 'requester', async (deps, tx, actor, ticket) =>
    outcome(await tickets.closeTicket(deps, tx, actor, ticket.id), (t) => `Closed #${t.number}.`),
  ),
  {
    name: 'home',
    usage: 'home',
    summary: 'your tickets and, for agents, the queue',
    role: 'requester',
    async run(_deps, tx, actor, _args, ctx) {
      const mine = await myTickets(tx, actor, 10);
      const own = messagesFor(ctx.language);
      const messages: OutMessage[] = [
        {
          text: own.homeMine,
          card: {
            kind: 'heading',
            title: own.homeMine,
            body: mine.length ? undefined : own.mineEmpty,
          },
        },
        ...(await Promise.all(mine.map(async (t) => ({ text: await listLine(tx, t) })))),
      ];
      if (hasRole(actor.role, 'agent')) {
        const queue = await openQueue(tx, 15);
        messages.push({
          text: 'Open queue',
          card: {
            kind: 'heading',
            title: 'Open queue',
            body: queue.length ? undefined : 'The queue is empty.',
          },
        });
        const m = await teamMessages(tx);
        for (const ticket of queue) messages.push(ticketCard(await cardView(tx, ticket), m));
      }
      return { home: messages };
    },
  },
];
