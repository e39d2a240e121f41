/**
 * `config assignment …` (admins), `skills`, `away` and `back`. Agents see skills and who is away;
 * admins change anyone's, an agent their own.
 */
import { TZDate } from '@date-fns/tz';
import { recordAudit } from '../audit/audit.ts';
import type { CommandContext, CommandSpec } from '../commands/command.ts';
import { personNamed, reply } from '../commands/command.ts';
import type { Arg } from '../commands/parse.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { hasRole, type Person } from '../people/people.service.ts';
import { setSetting } from '../settings/settings.ts';
import { CATEGORIES, isCategory } from '../tickets/ticket.ts';
import { loadWorkerSettings } from '../timers/settings.ts';
import { ASSIGNMENT_KEY, ASSIGNMENT_MODES, assignmentMode, isAssignmentMode } from './assignment.ts';

const MODE_TEXT: Record<string, string> = {
  off: 'off: new tickets wait in the queue for someone to claim them',
  'round-robin': 'round-robin: new tickets go to available agents in turn',
  load: 'load: new tickets go to the available agent with the fewest open tickets',
  skills:
    'skills: new tickets go to an available agent whose skills include the category (else by load, else to the on-call person)',
};

/** `config assignment [off|round-robin|load|skills]`: shows or sets the mode. */
export async function configureAssignment(tx: Tx, actor: Person, args: readonly Arg[]) {
  const raw = args[0]?.kind === 'word' ? args[0].value.toLowerCase() : '';
  if (!raw) return reply(`Assignment is ${MODE_TEXT[await assignmentMode(tx)]}.`);
  if (!isAssignmentMode(raw)) return reply(`Usage: \`config assignment ${ASSIGNMENT_MODES.join('|')}\``);
  await setSetting(tx, ASSIGNMENT_KEY, raw, actor.id);
  return reply(`Assignment is now ${MODE_TEXT[raw]}.`);
}

type Target = { person: Person; self: boolean } | { answer: ReturnType<typeof reply> };

/**
 * The agent a `skills`/`away`/`back` command is about (`@who`, or the sender when none is named),
 * and whether the sender may change them: admins anyone, an agent only themselves.
 */
async function target(
  deps: CoreDeps,
  tx: Tx,
  actor: Person,
  who: Arg | undefined,
  ctx: CommandContext,
  usage: string,
  changing: boolean,
): Promise<Target> {
  let person = actor;
  if (who) {
    if (who.kind !== 'user') return { answer: reply(`Usage: \`${usage}\``) };
    const found = await personNamed(tx, deps, ctx, who);
    if (!found.ok) return { answer: reply(found.reason) };
    person = found.person;
  }
  const self = person.id === actor.id;
  if (changing && !self && !hasRole(actor.role, 'admin'))
    return { answer: reply('Only admins can change that for someone else; an agent can change their own.') };
  if (!hasRole(person.role, 'agent'))
    return { answer: reply(`${person.displayName} is not an agent, so they are never assigned tickets.`) };
  return { person, self };
}

async function skillsOf(tx: Tx, personId: number): Promise<string[]> {
  const rows = await tx
    .selectFrom('agent_skills')
    .select('category')
    .where('person_id', '=', personId)
    .orderBy('category')
    .execute();
  return rows.map((row) => row.category);
}

/** ` (away until …)` for an agent out of rotation now, else empty: `skills` lists it, `assign` warns with it. */
export async function awayLine(tx: Tx, personId: number, now: Date): Promise<string> {
  const row = await tx
    .selectFrom('agent_away')
    .select('until')
    .where('person_id', '=', personId)
    .executeTakeFirst();
  if (!row || (row.until !== null && row.until <= now)) return '';
  return row.until ? ` (away until ${day(row.until)})` : ' (away)';
}

const day = (at: Date) => `${at.toISOString().replace('T', ' ').slice(0, 16)} UTC`;

/** Every agent with their skills (and who is away): what `skills` lists. */
async function listSkills(tx: Tx, now: Date): Promise<string> {
  const agents = await tx
    .selectFrom('people')
    .innerJoin('roles', 'roles.person_id', 'people.id')
    .select(['people.id', 'people.display_name'])
    .where('roles.role', 'in', ['agent', 'admin'])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(selectFrom('api_keys').select('api_keys.id').whereRef('api_keys.person_id', '=', 'people.id')),
      ),
    )
    .orderBy('people.display_name')
    .limit(200)
    .execute();
  if (agents.length === 0) return 'There are no agents yet (`role @who agent`).';
  const lines: string[] = [];
  for (const agent of agents) {
    const skills = await skillsOf(tx, agent.id);
    lines.push(
      `• ${agent.display_name}: ${skills.length ? skills.join(', ') : 'no skills set'}${await awayLine(tx, agent.id, now)}`,
    );
  }
  return `Agents and their skills:\n${lines.join('\n')}`;
}

const SKILLS_USAGE = 'skills [@who [category,category…|none]]';

/** `2026-12-24`: the start of that day in the business calendar's time zone, or why not. */
async function parseUntil(tx: Tx, text: string, now: Date): Promise<Date | string> {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const usage = 'Give the day they are back as `YYYY-MM-DD`, e.g. `away @who until 2026-12-28`.';
  if (!match) return usage;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, date));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date)
    return `${text} is not a date. ${usage}`;
  const { calendar } = await loadWorkerSettings(tx);
  const until = new Date(new TZDate(year, month - 1, date, 0, 0, 0, calendar.timeZone).getTime());
  if (until <= now) return `${text} has already begun; \`back @who\` puts someone back in rotation.`;
  if (until.getTime() - now.getTime() > 366 * 86_400_000) return `${text} is more than a year away.`;
  return until;
}

export const assignmentCommands: CommandSpec<CoreDeps>[] = [
  {
    name: 'skills',
    usage: SKILLS_USAGE,
    summary: "list agents' skills (the categories they take); admins set anyone's, an agent their own",
    role: 'agent',
    async run(deps, tx, actor, args, ctx) {
      if (args.length === 0) return reply(await listSkills(tx, deps.clock.now()));
      const changing = args.length > 1;
      const found = await target(deps, tx, actor, args[0], ctx, SKILLS_USAGE, changing);
      if ('answer' in found) return found.answer;
      const { person } = found;
      if (!changing) {
        const skills = await skillsOf(tx, person.id);
        return reply(
          `${person.displayName}: ${skills.length ? skills.join(', ') : 'no skills set'}${await awayLine(tx, person.id, deps.clock.now())}`,
        );
      }
      const typed = args
        .slice(1)
        .map((arg) => arg.raw)
        .join(',')
        .toLowerCase()
        .split(',')
        .map((word) => word.trim())
        .filter(Boolean);
      const none = typed.length === 1 && typed[0] === 'none';
      const unknown = none ? [] : typed.filter((word) => !isCategory(word));
      if (typed.length === 0 || unknown.length)
        return reply(
          `${unknown.length ? `Unknown ${unknown.length === 1 ? 'category' : 'categories'}: ${unknown.join(', ')}. ` : ''}Categories: ${CATEGORIES.join(', ')} (or \`none\`).`,
        );
      const skills = none ? [] : [...new Set(typed)].sort();
      await recordAudit(tx, {
        actor,
        action: 'skills',
        target: `person:${person.id}`,
        before: await skillsOf(tx, person.id),
        after: skills,
        at: deps.clock.now(),
      });
      await tx.deleteFrom('agent_skills').where('person_id', '=', person.id).execute();
      if (skills.length)
        await tx
          .insertInto('agent_skills')
          .values(skills.map((category) => ({ person_id: person.id, category })))
          .execute();
      return reply(
        skills.length
          ? `${person.displayName} now takes ${skills.join(', ')} tickets.`
          : `${person.displayName} has no skills set now.`,
      );
    },
  },
  {
    name: 'away',
    usage: 'away [@who] [until YYYY-MM-DD]',
    summary: 'take an agent out of automatic assignment (admins anyone, an agent themselves)',
    role: 'agent',
    async run(deps, tx, actor, args, ctx) {
      const usage = 'away [@who] [until YYYY-MM-DD]';
      const named = args[0]?.kind === 'user' ? args[0] : undefined;
      const rest = named ? args.slice(1) : args;
      const now = deps.clock.now();
      let until: Date | null = null;
      if (rest.length) {
        const [word, date] = rest;
        if (word?.kind !== 'word' || word.value.toLowerCase() !== 'until' || !date || rest.length > 2)
          return reply(`Usage: \`${usage}\``);
        const parsed = await parseUntil(tx, date.raw, now);
        if (typeof parsed === 'string') return reply(parsed);
        until = parsed;
      }
      const found = await target(deps, tx, actor, named, ctx, usage, true);
      if ('answer' in found) return found.answer;
      const { person, self } = found;
      await recordAudit(tx, {
        actor,
        action: 'away',
        target: `person:${person.id}`,
        after: { away: true, until: until?.toISOString() ?? null },
        at: now,
      });
      await tx
        .insertInto('agent_away')
        .values({ person_id: person.id, until, set_by: actor.id, set_at: now })
        .onConflict((oc) => oc.column('person_id').doUpdateSet({ until, set_by: actor.id, set_at: now }))
        .execute();
      const who = self ? 'You are' : `${person.displayName} is`;
      return reply(
        `${who} out of automatic assignment${until ? ` until ${day(until)}` : ` until \`back${self ? '' : ' @who'}\``}. Tickets already assigned stay; a reopened one goes to someone available.`,
      );
    },
  },
  {
    name: 'back',
    usage: 'back [@who]',
    summary: 'put an agent back into automatic assignment (admins anyone, an agent themselves)',
    role: 'agent',
    async run(deps, tx, actor, args, ctx) {
      if (args.length > 1) return reply('Usage: `back [@who]`');
      const found = await target(deps, tx, actor, args[0], ctx, 'back [@who]', true);
      if ('answer' in found) return found.answer;
      const { person, self } = found;
      const removed = await tx.deleteFrom('agent_away').where('person_id', '=', person.id).executeTakeFirst();
      const was = Number(removed.numDeletedRows) > 0;
      if (was)
        await recordAudit(tx, {
          actor,
          action: 'back',
          target: `person:${person.id}`,
          after: { away: false },
          at: deps.clock.now(),
        });
      const who = self ? 'You are' : `${person.displayName} is`;
      return reply(was ? `${who} back in automatic assignment.` : `${who} not away.`);
    },
  },
];
