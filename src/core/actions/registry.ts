import type { ActionEvent } from '../chat/chat.ts';
import type { CommandContext, CommandResult } from '../commands/registry.ts';
import type { CoreDeps } from '../deps.ts';
import { kbActions } from '../kb/kb.actions.ts';
import type { Person } from '../people/people.service.ts';
import { ticketActions } from './ticket.actions.ts';

export type ActionContext = Omit<CommandContext, 'parsed'>;

export interface ActionSpec {
  actionId: string;
  run(
    deps: CoreDeps,
    actor: Person,
    event: ActionEvent,
    ctx: ActionContext,
  ): Promise<CommandResult | undefined>;
}

/** Every card action; features add theirs with one spread line here. */
export function allActions(): ActionSpec[] {
  return [...ticketActions, ...kbActions];
}

export async function runAction(
  deps: CoreDeps,
  actor: Person,
  event: ActionEvent,
  ctx: ActionContext,
): Promise<CommandResult | undefined> {
  const spec = allActions().find((candidate) => candidate.actionId === event.actionId);
  if (!spec) return { reply: { text: `That button (${event.actionId}) is not something I know how to do.` } };
  return spec.run(deps, actor, event, ctx);
}
