import { sql } from 'kysely';
import { approverOf } from '../approvals/approval.service.ts';
import { awayLine } from '../assignment/assignment.commands.ts';
import { ticketCard } from '../chat/cards.ts';
import type { OutMessage } from '../chat/chat.ts';
import type { DbOrTx, Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { fieldFilter, formFieldsOf, requestDialog, ticketFieldsOf } from '../forms/form.service.ts';
import { teamMessages } from '../i18n/choose.ts';
import { messagesFor } from '../i18n/i18n.ts';
import { hasRole, type Person } from '../people/people.service.ts';
import { refusalText } from '../tickets/refusal.ts';
import { cardView, findTicketByNumber } from '../tickets/ticket.repository.ts';
import * as tickets from '../tickets/ticket.service.ts';
import type { TicketRow } from '../tickets/ticket.table.ts';
import { isCategory, isPriority, PRIORITIES, type Priority } from '../tickets/ticket.ts';
import { timelineLines } from '../tickets/timeline.ts';
import { timeSummary } from '../time/time.ts';
import { bulkTicketCommand } from './bulk.ts';
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
    .orderBy((eb) =>
      eb.case().when('status', 'in', ['new', 'awaiting_approval', 'open', 'pending']).then(0).else(1).end(),
    )
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

/** Tickets not yet resolved whose form field `name` has `value` (both without case), newest first. */
async function ticketsWithField(
  db: DbOrTx,
  filter: { name: string; value: string },
  limit = 25,
): Promise<TicketRow[]> {
  return db
    .selectFrom('tickets')
    .selectAll('tickets')
    .where('status', 'in', ['new', 'awaiting_approval', 'open', 'pending'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('ticket_fields')
          .select('ticket_fields.id')
          .whereRef('ticket_fields.ticket_id', '=', 'tickets.id')
          .where(sql<string>`lower(ticket_fields.name)`, '=', filter.name.toLowerCase())
          .where(sql<string>`lower(ticket_fields.value)`, '=', filter.value.toLowerCase()),
      ),
    )
    .orderBy('tickets.id', 'desc')
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
  // An approver who is not an agent reads the request they are asked to decide, without the buttons.
  if (!isAgent && ticket.requester_id !== actor.id && !(await approverOf(db, ticket, actor.id)))
    return reply(messagesFor(ctx.language).showNotYours(ticket.number));
  // Agents read cards in the team's language, a requester their own ticket in theirs.
  const m = isAgent ? await teamMessages(db) : messagesFor(ctx.language);
  const card = ticketCard(await cardView(db, ticket), m);
  const lines = await timelineLines(db, ticket.id, isAgent);
  const logged = isAgent ? await timeSummary(db, ticket.id) : null;
  const time = logged ? `Time logged: ${logged}\n\n` : '';
  const fields = await ticketFieldsOf(db, ticket);
  const answers = fields.length ? `\n${fields.map((f) => `${f.label}: ${f.value}`).join('\n')}` : '';
  const timeline = `${m.timeline}:\n${lines.join('\n')}`;
  const message: OutMessage = {
    text: `${card.text}${answers}\n\n${time}${timeline}`,
    card: card.card
      ? {
          ...card.card,
          fields: [...(card.card.fields ?? []), ...(logged ? [{ label: 'Time logged', value: logged }] : [])],
          actions: isAgent ? card.card.actions : [],
          context: timeline,
        }
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
      // `new access`: the category's request form, where it has one (Slack modal, Teams card, console form).
      const category = text.toLowerCase();
      const form = isCategory(category) ? await formFieldsOf(tx, category) : [];
      if (form.length > 0) {
        return {
          dialog: requestDialog(category, form),
          fallback: { text: `Opening the ${category} request form…` },
        };
      }
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
    usage: 'queue [field:System=SAP]',
    summary: 'open tickets by priority, unassigned first; or those whose request form says so',
    role: 'agent',
    async run(_deps, tx, _actor, _args, ctx) {
      const filter = fieldFilter(ctx.parsed.rest);
      if (ctx.parsed.rest && !filter)
        return reply(
          'Usage: `queue`, or `queue field:System=SAP` (quote names with spaces: `field:"Access level"=write`)',
        );
      if (filter) {
        const found = await ticketsWithField(tx, filter);
        if (found.length === 0) return reply(`No open ticket has ${filter.name} = ${filter.value}.`);
        const lines = await Promise.all(found.map((t) => listLine(tx, t)));
        return reply(`Open tickets with ${filter.name} = ${filter.value}:\n${lines.join('\n')}`);
      }
      const rows = await openQueue(tx);
      if (rows.length === 0) return reply('The queue is empty. 🎉');
      const lines = await Promise.all(rows.map((t) => listLine(tx, t)));
      return reply(`Open tickets:\n${lines.join('\n')}`);
    },
  },
  ticketCommand('claim', 'claim #N', 'take a ticket', 'agent', async (deps, tx, actor, ticket) =>
    outcome(await tickets.claimTicket(deps, tx, actor, ticket.id), (t) => `You have #${t.number}.`),
  ),
  bulkTicketCommand<{ assignee: Person; mention: string | undefined; away: string }>({
    name: 'assign',
    usage: 'assign #N @who',
    bulkUsage: 'assign #N [#N…|#A-#B] @who',
    summary: 'give tickets to an agent',
    role: 'agent',
    async prepare(deps, tx, _actor, ctx, used) {
      const who = ctx.parsed.args[used];
      if (who?.kind !== 'user')
        return {
          answer: reply('Usage: `assign #N @who` (several: `assign #3 #4 @who`, `assign #10-#14 @who`)'),
        };
      const found = await personNamed(tx, deps, ctx, who);
      if (!found.ok) return { answer: reply(found.reason) };
      // Assigning by hand overrides rotation, but the agent should know the person is away.
      const away = await awayLine(tx, found.person.id, deps.clock.now());
      return { value: { assignee: found.person, mention: who.userId ? who.raw : undefined, away } };
    },
    act: (deps, tx, actor, ticketId, { assignee, mention }) =>
      tickets.assignTicket(deps, tx, actor, ticketId, assignee, mention),
    done: (t, { assignee, away }) => `#${t.number} is now with ${assignee.displayName}${away}.`,
    doneAll: ({ assignee, away }) => `Assigned to ${assignee.displayName}${away}`,
  }),
  bulkTicketCommand<Priority>({
    name: 'priority',
    usage: 'priority #N P1|P2|P3|P4',
    bulkUsage: 'priority #N [#N…|#A-#B] P1|P2|P3|P4',
    summary: 'change the priority',
    role: 'agent',
    async prepare(_deps, _tx, _actor, ctx, used) {
      const priority = textAfter(ctx.parsed, used).toUpperCase();
      if (!isPriority(priority))
        return {
          answer: reply(`Usage: \`priority #N ${PRIORITIES.join('|')}\` (several: \`priority #3 #4 P2\`)`),
        };
      return { value: priority };
    },
    act: (deps, tx, actor, ticketId, priority) => tickets.setPriority(deps, tx, actor, ticketId, priority),
    done: (t) => `#${t.number} is now ${t.priority}.`,
    doneAll: (priority) => `Now ${priority}`,
  }),
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
  bulkTicketCommand<string>({
    name: 'resolve',
    usage: 'resolve #N <resolution>',
    bulkUsage: 'resolve #N [#N…|#A-#B] <resolution>',
    summary: 'resolve tickets',
    role: 'agent',
    prepare: async (_deps, _tx, _actor, ctx, used) => ({ value: textAfter(ctx.parsed, used) }),
    act: (deps, tx, actor, ticketId, text) => tickets.resolveTicket(deps, tx, actor, ticketId, text),
    done: (t) => `Resolved #${t.number}.`,
    doneAll: () => 'Resolved',
  }),
  ticketCommand(
    'reopen',
    'reopen #N',
    'reopen a resolved ticket',
    'requester',
    async (deps, tx, actor, ticket) =>
      outcome(await tickets.reopenTicket(deps, tx, actor, ticket.id), (t) => `Reopened #${t.number}.`),
  ),
  bulkTicketCommand<null>({
    name: 'close',
    usage: 'close #N',
    bulkUsage: 'close #N [#N…|#A-#B]',
    summary: 'close tickets',
    requesterSummary: 'close a ticket',
    role: 'requester',
    prepare: async () => ({ value: null }),
    act: (deps, tx, actor, ticketId) => tickets.closeTicket(deps, tx, actor, ticketId),
    done: (t) => `Closed #${t.number}.`,
    doneAll: () => 'Closed',
  }),
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
