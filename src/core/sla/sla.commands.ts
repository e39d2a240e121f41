/**
 * `sla` (agents see, admins change), `escalation` and `lifecycle` commands. Changing a policy
 * re-plans live tickets through the reconciler, whose deterministic job ids make that cheap.
 */
import type { CommandSpec } from '../commands/command.ts';
import { reply } from '../commands/command.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { jobId } from '../jobs/jobs.ts';
import { hasRole, type Person } from '../people/people.service.ts';
import { setSetting, settingVersion } from '../settings/settings.ts';
import {
  findTicketByNumber,
  lockTicket,
  postToTriage,
  recordEvent,
  refreshCards,
} from '../tickets/ticket.repository.ts';
import { isPriority, PRIORITIES } from '../tickets/ticket.ts';
import { formatDuration, parseDuration, periodProblem } from '../timers/duration.ts';
import { loadWorkerSettings, SETTING_KEYS } from '../timers/settings.ts';
import { afterCommit } from '../unit-of-work.ts';
import { type BusinessCalendar, validateCalendar, WEEKDAYS } from './calendar.ts';
import { enqueuePlan, loadSlaState, syncAndRefresh } from './sla.service.ts';

const word = (args: Parameters<CommandSpec<CoreDeps>['run']>[3], index: number) => {
  const arg = args[index];
  return arg ? (arg.kind === 'word' ? arg.value : arg.raw) : '';
};

/**
 * Stores a worker setting and, once it has committed, re-plans open tickets. One reconcile job per
 * change: BullMQ keeps a finished job's id for an hour and drops a new job under it, so an id made
 * of the time alone would skip a change made in the same millisecond as the one before.
 */
async function changeSetting(
  deps: CoreDeps,
  tx: Tx,
  actor: Person,
  key: string,
  value: unknown,
): Promise<void> {
  await setSetting(tx, key, value, actor.id);
  const change = await settingVersion(tx, key);
  afterCommit(tx, () =>
    deps.jobs.enqueue(
      'reconcile-timers',
      {},
      { jobId: jobId('reconcile', 'policy', key, change.updatedAt.getTime(), change.revision) },
    ),
  );
}

async function showSla(tx: Tx): Promise<string> {
  const { policies, calendar } = await loadWorkerSettings(tx);
  const lines = PRIORITIES.map((p) => {
    const policy = policies[p];
    return `• ${p}: first response ${formatDuration(policy.firstResponseMs)}, resolution ${formatDuration(policy.resolutionMs)}${policy.businessHours ? ' (business hours)' : ''}`;
  });
  const week = WEEKDAYS.filter((d) => calendar.week[d]?.length)
    .map((d) => `${d} ${calendar.week[d]?.join(',')}`)
    .join('; ');
  return [
    'SLA targets (time waiting on the requester does not count):',
    ...lines,
    `Business hours: ${week} (${calendar.timeZone})${calendar.holidays.length ? `; holidays ${calendar.holidays.join(', ')}` : ''}`,
    'Admins: `sla P2 first-response 30m`, `sla P2 resolution 8h`, `sla P2 business-hours on|off`, `sla hours mon-fri 09:00-17:00 Europe/Berlin`, `sla holiday 2026-12-25 [off]`',
  ].join('\n');
}

function expandDays(spec: string): string[] | null {
  const out: string[] = [];
  for (const part of spec.toLowerCase().split(',')) {
    const [from, to] = part.split('-');
    const a = WEEKDAYS.indexOf(from as never);
    const b = to ? WEEKDAYS.indexOf(to as never) : a;
    if (a < 0 || b < 0) return null;
    for (let i = a; ; i = (i + 1) % 7) {
      out.push(WEEKDAYS[i] as string);
      if (i === b) break;
    }
  }
  return out;
}

const POLICY_USAGE =
  'Usage: `sla P2 first-response 30m`, `sla P2 resolution 8h`, `sla P2 business-hours on|off` (durations in s, m, h, d, e.g. `1h30m`)';
const HOURS_USAGE = 'Usage: `sla hours mon-fri 09:00-17:00 [Time/Zone]`';
const HOLIDAY_USAGE = 'Usage: `sla holiday 2026-12-25` (or `… off` to make it a working day again)';

/** A real calendar date written `YYYY-MM-DD`. */
function isDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

async function changeSla(
  deps: CoreDeps,
  tx: Tx,
  actor: Person,
  args: Parameters<CommandSpec<CoreDeps>['run']>[3],
): Promise<string> {
  const first = word(args, 0);
  const settings = await loadWorkerSettings(tx);
  if (first.toLowerCase() === 'hours') {
    const days = expandDays(word(args, 1));
    const range = word(args, 2);
    const timeZone = word(args, 3) || settings.calendar.timeZone;
    if (!days || !range) return HOURS_USAGE;
    const calendar: BusinessCalendar = {
      ...settings.calendar,
      timeZone,
      week: Object.fromEntries(days.map((d) => [d, [range]])),
    };
    const problem = validateCalendar(calendar);
    if (problem) return `Not changed: ${problem}.\n${HOURS_USAGE}`;
    await changeSetting(deps, tx, actor, SETTING_KEYS.calendar, calendar);
    return `Business hours are now ${word(args, 1)} ${range} (${timeZone}). Open tickets are re-planned.`;
  }
  if (first.toLowerCase() === 'holiday') {
    const date = word(args, 1);
    const off = word(args, 2).toLowerCase() === 'off';
    if (!isDate(date)) return `Not changed: \`${date}\` is not a date (YYYY-MM-DD).\n${HOLIDAY_USAGE}`;
    const holidays = new Set(settings.calendar.holidays);
    if (off && !holidays.has(date)) return `${date} is not a holiday; nothing changed.`;
    if (off) holidays.delete(date);
    else holidays.add(date);
    const calendar = { ...settings.calendar, holidays: [...holidays].sort() };
    await changeSetting(deps, tx, actor, SETTING_KEYS.calendar, calendar);
    return off ? `${date} is a working day again.` : `${date} is now a holiday.`;
  }
  const priority = first.toUpperCase();
  const what = word(args, 1).toLowerCase();
  const value = word(args, 2);
  if (!isPriority(priority)) return `Not changed: \`${first}\` is not a priority (P1–P4).\n${POLICY_USAGE}`;
  const policies = { ...settings.policies, [priority]: { ...settings.policies[priority] } };
  const policy = policies[priority];
  if (what === 'first-response' || what === 'resolution') {
    const ms = parseDuration(value);
    if (ms === null) return `Not changed: \`${value}\` is not a duration.\n${POLICY_USAGE}`;
    const problem = periodProblem(ms);
    if (problem) return `Not changed: ${problem}.`;
    if (what === 'first-response') policy.firstResponseMs = ms;
    else policy.resolutionMs = ms;
  } else if (what === 'business-hours' && (value === 'on' || value === 'off')) {
    policy.businessHours = value === 'on';
  } else {
    return POLICY_USAGE;
  }
  await changeSetting(deps, tx, actor, SETTING_KEYS.policies, policies);
  return `${priority}: first response ${formatDuration(policy.firstResponseMs)}, resolution ${formatDuration(policy.resolutionMs)}${policy.businessHours ? ' (business hours)' : ''}. Open tickets are re-planned.`;
}

async function stopEscalation(deps: CoreDeps, tx: Tx, actor: Person, number: number): Promise<string> {
  {
    const found = await findTicketByNumber(tx, number);
    // Locked like any ticket change, so a change running alongside cannot write its SLA record over this one.
    const locked = found && (await lockTicket(tx, found.id));
    if (!locked) return `No ticket #${number}.`;
    let ticket = locked;
    if (!(await loadSlaState(tx, ticket.id, true))) {
      // Filed before the SLA workers ran: create its record (and timers) as its next change would.
      const sync = await syncAndRefresh(tx, deps, ticket);
      ticket = sync.ticket;
      afterCommit(tx, () => enqueuePlan(deps, sync.plan, deps.clock.now()));
    }
    const now = deps.clock.now();
    const stopped = await tx
      .updateTable('ticket_sla')
      .set({ escalation_stopped_at: now, escalation_stopped_by: actor.id, updated_at: now })
      .where('ticket_id', '=', ticket.id)
      .where('escalation_stopped_at', 'is', null)
      .returning('ticket_id')
      .executeTakeFirst();
    if (!stopped) return `Escalation of #${number} is already stopped.`;
    const event = await recordEvent(tx, {
      ticketId: ticket.id,
      actorId: actor.id,
      type: 'escalation_stopped',
      at: now,
      visibility: 'internal',
      before: { escalation_level: ticket.escalation_level },
    });
    await postToTriage(
      tx,
      ticket,
      { text: `🛑 ${actor.displayName} stopped the escalation of #${number}.` },
      `evt-${event.id}`,
    );
    await refreshCards(tx, ticket, `evt-${event.id}`);
    // Level 1 is the breach post itself: before it, a breach is still announced, and nothing follows.
    return ticket.escalation_level > 0
      ? `Escalation of #${number} stopped at level ${ticket.escalation_level}; no further levels will fire.`
      : `Escalation of #${number} stopped: if its SLA is breached, the breach is still posted, but no escalation follows.`;
  }
}

export const slaCommands: CommandSpec<CoreDeps>[] = [
  {
    name: 'sla',
    usage: 'sla [P1-P4 first-response|resolution <30m> | business-hours on|off]',
    summary: 'show or change the SLA targets',
    role: 'agent',
    helpFor: { agent: { usage: 'sla', summary: 'show the SLA targets' } },
    async run(deps, tx, actor, args) {
      if (args.length === 0) return reply(await showSla(tx));
      if (!hasRole(actor.role, 'admin')) return reply('Only admins can change SLA targets.');
      return reply(await changeSla(deps, tx, actor, args));
    },
  },
  {
    name: 'escalation',
    usage: 'escalation [on|off | L2|L3 after <30m> | stop #N]',
    summary: 'show or change the escalation ladder, stop it for a ticket',
    role: 'agent',
    helpFor: {
      agent: { usage: 'escalation [stop #N]', summary: 'show the escalation ladder, stop it for a ticket' },
    },
    async run(deps, tx, actor, args) {
      const first = word(args, 0).toLowerCase();
      if (first === 'stop') {
        const ticket = args[1];
        if (ticket?.kind !== 'ticket') return reply('Usage: `escalation stop #N`');
        return reply(await stopEscalation(deps, tx, actor, ticket.number));
      }
      const { escalation } = await loadWorkerSettings(tx);
      if (!first) {
        return reply(
          [
            `Escalation is ${escalation.enabled ? 'on' : 'off'}:`,
            '• L1 at the SLA breach: the assignee and the triage channel',
            `• L2 ${formatDuration(escalation.afterMs[2])} later: escalation channel, on-call, priority +1`,
            `• L3 ${formatDuration(escalation.afterMs[3])} after L2: the admins`,
            'An agent reply, a claim, resolving or `escalation stop #N` ends it. P1 tickets page the on-call at once.',
          ].join('\n'),
        );
      }
      if (!hasRole(actor.role, 'admin')) return reply('Only admins can change the escalation ladder.');
      const next = { ...escalation, afterMs: { ...escalation.afterMs } };
      if (first === 'on' || first === 'off') next.enabled = first === 'on';
      else if ((first === 'l2' || first === 'l3') && word(args, 1).toLowerCase() === 'after') {
        const ms = parseDuration(word(args, 2));
        if (ms === null) return reply('Usage: `escalation L2 after 30m`');
        const problem = periodProblem(ms);
        if (problem) return reply(`Not changed: ${problem}.`);
        next.afterMs[first === 'l2' ? 2 : 3] = ms;
      } else
        return reply(
          'Usage: `escalation on|off`, `escalation L2 after 30m`, `escalation L3 after 1h`, `escalation stop #N`',
        );
      await changeSetting(deps, tx, actor, SETTING_KEYS.escalation, next);
      return reply(
        `Escalation is ${next.enabled ? 'on' : 'off'}; L2 after ${formatDuration(next.afterMs[2])}, L3 after ${formatDuration(next.afterMs[3])}.`,
      );
    },
  },
  {
    name: 'lifecycle',
    usage: 'lifecycle [nudge|auto-resolve|auto-close <2d>]',
    summary: 'show or change pending nudges, auto-resolve and auto-close',
    role: 'agent',
    helpFor: { agent: { usage: 'lifecycle', summary: 'show pending nudges, auto-resolve and auto-close' } },
    async run(deps, tx, actor, args) {
      const { lifecycle } = await loadWorkerSettings(tx);
      const what = word(args, 0).toLowerCase();
      if (!what) {
        return reply(
          `Pending tickets: the requester is nudged after ${formatDuration(lifecycle.nudgeAfterMs)}, and the ticket is resolved ${formatDuration(lifecycle.autoResolveAfterMs)} after that without a reply. Resolved tickets close after ${formatDuration(lifecycle.autoCloseAfterMs)} unless the requester replies (which reopens them).`,
        );
      }
      if (!hasRole(actor.role, 'admin')) return reply('Only admins can change these periods.');
      const ms = parseDuration(word(args, 1));
      const field = {
        nudge: 'nudgeAfterMs',
        'auto-resolve': 'autoResolveAfterMs',
        'auto-close': 'autoCloseAfterMs',
      }[what] as keyof typeof lifecycle | undefined;
      if (!field || ms === null)
        return reply('Usage: `lifecycle nudge 1d`, `lifecycle auto-resolve 2d`, `lifecycle auto-close 3d`');
      const problem = periodProblem(ms);
      if (problem) return reply(`Not changed: ${problem}.`);
      await changeSetting(deps, tx, actor, SETTING_KEYS.lifecycle, { ...lifecycle, [field]: ms });
      return reply(`${what} is now ${formatDuration(ms)}.`);
    },
  },
];
