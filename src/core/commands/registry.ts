import type { ChatUser, ConversationRef, Dialog, OutMessage } from '../chat/chat.ts';
import type { CoreDeps } from '../deps.ts';
import { kbCommands } from '../kb/kb.commands.ts';
import { hasRole, type NamedPerson, namedPerson, type Person } from '../people/people.service.ts';
import type { Role } from '../people/people.table.ts';
import { workerCommands } from '../sla/worker-commands.ts';
import { configCommands } from './config.commands.ts';
import { type Arg, type ParsedCommand, parseCommand } from './parse.ts';
import { ticketCommands } from './ticket.commands.ts';

export interface CommandContext {
  sender: ChatUser;
  conversation: ConversationRef;
  conversationId: number;
  triggerId?: string | undefined;
  eventId: string;
  /** Users the event names (`<@U…>` arguments, a users select's choice) as the platform directory knows them. */
  named?: readonly ChatUser[] | undefined;
  parsed: ParsedCommand;
}

export type CommandResult =
  | { reply: OutMessage; public?: boolean }
  | { dialog: Dialog; fallback: OutMessage }
  | { home: OutMessage[] };

export interface CommandSpec {
  name: string;
  /** e.g. `claim #N` */
  usage: string;
  summary: string;
  /** The least role that may run it. */
  role: Role;
  run(deps: CoreDeps, actor: Person, args: Arg[], ctx: CommandContext): Promise<CommandResult>;
}

export const reply = (text: string): CommandResult => ({ reply: { text } });

/** The person a `@who` argument names, found (or created) through the platform directory. */
export function personNamed(
  deps: CoreDeps,
  ctx: CommandContext,
  who: Extract<Arg, { kind: 'user' }>,
): Promise<NamedPerson> {
  return namedPerson(
    deps.db,
    deps.config,
    { platform: ctx.sender.platform, userId: who.userId || undefined, name: who.name, raw: who.raw },
    ctx.named,
  );
}

/** Every command; features add theirs with one spread line here. */
export function allCommands(): CommandSpec[] {
  return [...ticketCommands, ...configCommands, ...workerCommands, ...kbCommands, helpCommand];
}

const helpCommand: CommandSpec = {
  name: 'help',
  usage: 'help',
  summary: 'show what you can do',
  role: 'requester',
  async run(_deps, actor) {
    return reply(helpText(actor));
  },
};

export function helpText(actor: Person): string {
  const lines = allCommands()
    .filter((spec) => hasRole(actor.role, spec.role))
    .map((spec) => `• \`${spec.usage}\` — ${spec.summary}`);
  return [
    'Send me a message describing your problem and I will help or file a ticket. Commands:',
    ...lines,
  ].join('\n');
}

/** Parses and runs a command; unknown commands and refusals come back as a usage line, never a stack trace. */
export async function runCommand(
  deps: CoreDeps,
  actor: Person,
  text: string,
  ctx: Omit<CommandContext, 'parsed'>,
): Promise<CommandResult> {
  const parsed = parseCommand(text);
  if (!parsed) return reply('Type `help` to see the commands.');
  const spec = allCommands().find((candidate) => candidate.name === parsed.name);
  if (!spec) return reply(`Unknown command \`${parsed.name}\`. Type \`help\` to see the commands.`);
  if (!hasRole(actor.role, spec.role)) {
    return reply(`\`${spec.name}\` needs the ${spec.role} role (you are a ${actor.role}).`);
  }
  return spec.run(deps, actor, parsed.args, { ...ctx, parsed });
}
