/** Runs commands from the list the app assembles (`deps.commands`); `help` lists that list. */
import { auditChanges, snapshotConfig } from '../audit/audit.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { type Messages, messagesFor } from '../i18n/i18n.ts';
import { hasRole, type Person } from '../people/people.service.ts';
import { type CommandContext, type CommandResult, type CommandSpec, reply } from './command.ts';
import { parseCommand } from './parse.ts';

export const helpCommand: CommandSpec<CoreDeps> = {
  name: 'help',
  usage: 'help',
  summary: 'show what you can do',
  role: 'requester',
  async run(deps, _tx, actor, _args, ctx) {
    return reply(helpText(deps.commands, actor, messagesFor(ctx.language)));
  },
};

export function helpText(
  commands: readonly CommandSpec<CoreDeps>[],
  actor: Person,
  m: Messages = messagesFor('en'),
): string {
  const lines = commands
    .filter((spec) => hasRole(actor.role, spec.role))
    .map((spec) => spec.helpFor?.[actor.role] ?? spec)
    .map((line) => `• \`${line.usage}\` — ${m.commandSummaries[line.summary] ?? line.summary}`);
  return [m.helpIntro, ...lines].join('\n');
}

/** Parses and runs a command; unknown commands and refusals come back as a usage line, never a stack trace. */
export async function runCommand(
  deps: CoreDeps,
  tx: Tx,
  actor: Person,
  text: string,
  ctx: Omit<CommandContext, 'parsed'>,
): Promise<CommandResult> {
  const parsed = parseCommand(text);
  const m = messagesFor(ctx.language);
  if (!parsed) return reply(m.helpHint);
  const spec = deps.commands.find((candidate) => candidate.name === parsed.name);
  if (!spec) return reply(m.unknownCommand(parsed.name));
  if (!hasRole(actor.role, spec.role)) return reply(m.needsRole(spec.name, spec.role, actor.role));
  if (!hasRole(actor.role, 'admin') || spec.auditsItself)
    return spec.run(deps, tx, actor, parsed.args, { ...ctx, parsed });
  // An admin's command may change the configuration: whatever it changed is audited.
  const before = await snapshotConfig(tx);
  const result = await spec.run(deps, tx, actor, parsed.args, { ...ctx, parsed });
  await auditChanges(tx, actor, spec.name, before, await snapshotConfig(tx), deps.clock.now());
  return result;
}
