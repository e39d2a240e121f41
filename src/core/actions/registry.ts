/** Runs card actions from the list the app assembles (`deps.actions`). */
import type { ActionEvent } from '../chat/chat.ts';
import type { CommandResult } from '../commands/command.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import type { Person } from '../people/people.service.ts';
import type { ActionContext } from './action.ts';

export async function runAction(
  deps: CoreDeps,
  tx: Tx,
  actor: Person,
  event: ActionEvent,
  ctx: ActionContext,
): Promise<CommandResult | undefined> {
  const spec = deps.actions.find((candidate) => candidate.actionId === event.actionId);
  if (!spec) return { reply: { text: `That button (${event.actionId}) is not something I know how to do.` } };
  return spec.run(deps, tx, actor, event, ctx);
}
