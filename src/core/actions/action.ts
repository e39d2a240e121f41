import type { ActionEvent } from '../chat/chat.ts';
import type { CommandContext, CommandResult } from '../commands/command.ts';
import type { Tx } from '../db.ts';
import type { Person } from '../people/people.service.ts';

export type ActionContext = Omit<CommandContext, 'parsed'>;

/** A card button or select: runs inside the event's transaction `tx`. `Deps` is core's `CoreDeps`. */
export interface ActionSpec<Deps> {
  actionId: string;
  run(
    deps: Deps,
    tx: Tx,
    actor: Person,
    event: ActionEvent,
    ctx: ActionContext,
  ): Promise<CommandResult | undefined>;
}
