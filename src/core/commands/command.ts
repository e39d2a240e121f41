/** What a command is: its spec, the context it runs in, and what it answers. */
import type { ChatUser, ConversationRef, Dialog, OutMessage } from '../chat/chat.ts';
import type { CoreConfig } from '../config.ts';
import type { Tx } from '../db.ts';
import type { Language } from '../i18n/languages.ts';
import { type NamedPerson, namedPerson, type Person } from '../people/people.service.ts';
import type { Role } from '../people/people.table.ts';
import type { Arg, ParsedCommand } from './parse.ts';

export interface CommandContext {
  sender: ChatUser;
  conversation: ConversationRef;
  conversationId: number;
  triggerId?: string | undefined;
  eventId: string;
  /** Users the event names (`<@U…>` arguments, a users select's choice) as the platform directory knows them. */
  named?: readonly ChatUser[] | undefined;
  parsed: ParsedCommand;
  /** The language to answer the sender in (their message's, locale or last one); English when undefined. */
  language?: Language | undefined;
}

export type CommandResult =
  | { reply: OutMessage; public?: boolean }
  | { dialog: Dialog; fallback: OutMessage }
  | { home: OutMessage[] }
  /** Nothing to add: the use case already answered in the conversation (filing acknowledges there). */
  | { answered: true };

/** A command; `Deps` is core's `CoreDeps` (a parameter only to keep this file free of an import cycle). */
export interface CommandSpec<Deps> {
  name: string;
  /** e.g. `claim #N` */
  usage: string;
  summary: string;
  /** The least role that may run it. */
  role: Role;
  /**
   * What a role may run of it when that is less than all of it (`kb` is only search for a
   * requester): `help` lists this instead of `usage` and `summary`.
   */
  helpFor?: Partial<Record<Role, { usage: string; summary: string }>>;
  /**
   * The command records its own audit entry instead of the generic settings-and-roles diff (an
   * erasure must not copy what it erased into the audit log).
   */
  auditsItself?: boolean;
  /** Runs inside the event's transaction `tx`; `deps.db` is the pool, for reads only. */
  run(deps: Deps, tx: Tx, actor: Person, args: Arg[], ctx: CommandContext): Promise<CommandResult>;
}

export const reply = (text: string): CommandResult => ({ reply: { text } });

/** The person a `@who` argument names, found (or created) through the platform directory. */
export function personNamed(
  tx: Tx,
  deps: { config: CoreConfig },
  ctx: CommandContext,
  who: Extract<Arg, { kind: 'user' }>,
): Promise<NamedPerson> {
  return namedPerson(
    tx,
    deps.config,
    { platform: ctx.sender.platform, userId: who.userId || undefined, name: who.name, raw: who.raw },
    ctx.named,
  );
}
