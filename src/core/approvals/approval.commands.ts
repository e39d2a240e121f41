/** `approvals` and `approvers` (admins): which requests wait for approval, and who decides them. */
import { recordAudit } from '../audit/audit.ts';
import { type CommandSpec, personNamed, reply } from '../commands/command.ts';
import { parseCommand, textAfter } from '../commands/parse.ts';
import type { CoreDeps } from '../deps.ts';
import { setSetting } from '../settings/settings.ts';
import { isCategory } from '../tickets/ticket.ts';
import { formatDuration, parseDuration, periodProblem } from '../timers/duration.ts';
import {
  APPROVAL_REMINDER_KEY,
  approvalCategories,
  approversOf,
  reminderPeriod,
} from './approval.service.ts';

const APPROVALS_USAGE =
  'Usage: `approvals access,software` (requests in those categories wait for approval), `approvals off`, `approvals remind 4h`';
const APPROVERS_USAGE =
  'Usage: `approvers access @who,@who` (or `approvers access off`; `approvers` lists them)';

/** `access,software` or `access software` as categories; the unknown ones named for the reply. */
function categoryList(text: string): { known: string[]; unknown: string[] } {
  const words = text
    .split(/[\s,]+/)
    .map((word) => word.trim().toLowerCase())
    .filter(Boolean);
  return {
    known: [...new Set(words.filter(isCategory))],
    unknown: words.filter((word) => !isCategory(word)),
  };
}

export const approvalCommands: CommandSpec<CoreDeps>[] = [
  {
    name: 'approvals',
    usage: 'approvals <category,category|off> | approvals remind <4h>',
    summary: 'make requests in these categories wait for approval; when approvers are reminded',
    role: 'admin',
    auditsItself: true,
    async run(deps, tx, actor, args, ctx) {
      const first = args[0]?.kind === 'word' ? args[0].value.toLowerCase() : '';
      const current = await approvalCategories(tx);
      const period = await reminderPeriod(tx);
      if (!first) {
        const lines = await Promise.all(
          current.map(async (category) => {
            const names = (await approversOf(tx, category)).map((p) => p.displayName);
            return `• ${category}: ${names.length ? names.join(', ') : 'no approvers named (admins decide)'}`;
          }),
        );
        return reply(
          current.length
            ? `Requests in these categories wait for approval (approvers are reminded after ${formatDuration(period)}):\n${lines.join('\n')}`
            : `No category needs approval.\n${APPROVALS_USAGE}`,
        );
      }
      const at = deps.clock.now();
      if (first === 'remind') {
        const raw = args[1]?.kind === 'word' ? args[1].value : '';
        const ms = parseDuration(raw);
        if (ms === null)
          return reply(
            'Usage: `approvals remind 4h` (how long a request waits before its approvers are reminded)',
          );
        const problem = periodProblem(ms);
        if (problem) return reply(`Not changed: ${problem}.`);
        await setSetting(tx, APPROVAL_REMINDER_KEY, ms, actor.id);
        await recordAudit(tx, {
          actor,
          action: 'approvals',
          target: APPROVAL_REMINDER_KEY,
          before: period,
          after: ms,
          at,
        });
        return reply(`Approvers are now reminded after ${formatDuration(ms)} without a decision.`);
      }
      const off = first === 'off' || first === 'none';
      const { known, unknown } = off ? { known: [], unknown: [] } : categoryList(ctx.parsed.rest);
      if (unknown.length > 0)
        return reply(`Not changed: ${unknown.join(', ')} is not a category.\n${APPROVALS_USAGE}`);
      if (!off && known.length === 0) return reply(APPROVALS_USAGE);
      await tx.deleteFrom('approval_categories').execute();
      if (known.length > 0)
        await tx
          .insertInto('approval_categories')
          .values(known.map((category) => ({ category })))
          .execute();
      await recordAudit(tx, {
        actor,
        action: 'approvals',
        target: 'approval-categories',
        before: current,
        after: known,
        at,
      });
      if (known.length === 0) return reply('No request waits for approval any more.');
      const unnamed = [];
      for (const category of known)
        if ((await approversOf(tx, category)).length === 0) unnamed.push(category);
      return reply(
        `Requests in ${known.join(', ')} now wait for approval.${unnamed.length ? ` Name their approvers with \`approvers ${unnamed[0]} @who,@who\`; until then admins decide.` : ''}`,
      );
    },
  },
  {
    name: 'approvers',
    usage: 'approvers <category> @who,@who|off',
    summary: "name who approves a category's requests",
    role: 'admin',
    auditsItself: true,
    async run(deps, tx, actor, args, ctx) {
      const category = args[0]?.kind === 'word' ? args[0].value.toLowerCase() : '';
      if (!category) {
        const rows = await tx
          .selectFrom('approvers')
          .innerJoin('people', 'people.id', 'approvers.person_id')
          .select(['approvers.category', 'people.display_name'])
          .orderBy('approvers.category')
          .orderBy('people.display_name')
          .execute();
        if (rows.length === 0) return reply(`No approvers are named.\n${APPROVERS_USAGE}`);
        const byCategory = new Map<string, string[]>();
        for (const row of rows)
          byCategory.set(row.category, [...(byCategory.get(row.category) ?? []), row.display_name]);
        return reply(
          `Approvers:\n${[...byCategory].map(([c, names]) => `• ${c}: ${names.join(', ')}`).join('\n')}`,
        );
      }
      if (!isCategory(category)) return reply(`${category} is not a category.\n${APPROVERS_USAGE}`);
      const before = (await approversOf(tx, category)).map((p) => p.displayName);
      const rest = textAfter(ctx.parsed, 1);
      if (!rest) {
        return reply(
          before.length
            ? `${category} requests are approved by ${before.join(', ')}.`
            : `No approvers are named for ${category}.\n${APPROVERS_USAGE}`,
        );
      }
      const off = /^(off|none)$/i.test(rest);
      // `@a,@b` and `@a @b` alike: commas separate people as spaces do.
      const named = off ? [] : (parseCommand(`x ${rest.replace(/,/g, ' ')}`)?.args ?? []);
      if (!off && (named.length === 0 || named.some((arg) => arg.kind !== 'user')))
        return reply(APPROVERS_USAGE);
      const people = [];
      for (const who of named) {
        if (who.kind !== 'user') continue;
        const found = await personNamed(tx, deps, ctx, who);
        if (!found.ok) return reply(`Not changed: ${found.reason}`);
        people.push(found.person);
      }
      await tx.deleteFrom('approvers').where('category', '=', category).execute();
      const unique = [...new Map(people.map((p) => [p.id, p])).values()];
      if (unique.length > 0)
        await tx
          .insertInto('approvers')
          .values(unique.map((p) => ({ category, person_id: p.id })))
          .execute();
      const after = unique.map((p) => p.displayName).sort();
      await recordAudit(tx, {
        actor,
        action: 'approvers',
        target: `approvers:${category}`,
        before,
        after,
        at: deps.clock.now(),
      });
      if (unique.length === 0)
        return reply(`No approvers are named for ${category} any more; admins decide.`);
      const needs = (await approvalCategories(tx)).includes(category);
      return reply(
        `${category} requests are now approved by ${after.join(', ')}.${needs ? '' : ` They wait for approval once you run \`approvals ${category}\`.`}`,
      );
    },
  },
];
