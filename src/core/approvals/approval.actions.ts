/**
 * The approval card's buttons. Deny asks for the reason first (a Slack modal, a Teams card input, a
 * console form) unless it came with the press; the decision itself updates every approval card.
 */
import type { ActionSpec } from '../actions/action.ts';
import type { ActionEvent } from '../chat/chat.ts';
import type { CommandResult } from '../commands/command.ts';
import type { CoreDeps } from '../deps.ts';
import { refusalText } from '../tickets/refusal.ts';
import type { Outcome } from '../tickets/ticket.change.ts';
import { decideApproval } from './approval.service.ts';

const say = (text: string): CommandResult => ({ reply: { text } });

function ticketIdOf(event: ActionEvent): number | undefined {
  const id = Number.parseInt(event.value, 10);
  return Number.isFinite(id) ? id : undefined;
}

/** The presser is told only a refusal: the updated cards and the timeline show the decision. */
function answer(result: Outcome): CommandResult | undefined {
  return result.ok ? undefined : say(refusalText(result.refusal));
}

export const approvalActions: ActionSpec<CoreDeps>[] = [
  {
    actionId: 'approval.approve',
    async run(deps, tx, actor, event) {
      const ticketId = ticketIdOf(event);
      if (ticketId === undefined) return say('That button is missing its request.');
      return answer(await decideApproval(deps, tx, actor, ticketId, 'approve'));
    },
  },
  {
    actionId: 'approval.deny',
    async run(deps, tx, actor, event) {
      const ticketId = ticketIdOf(event);
      if (ticketId === undefined) return say('That button is missing its request.');
      const reason = event.inputs?.note?.trim();
      if (reason) return answer(await decideApproval(deps, tx, actor, ticketId, 'deny', reason));
      // Refused before the reason is asked for: the requester or a stranger gets no form to fill in.
      const check = await decideApproval(deps, tx, actor, ticketId, 'deny', '');
      if (check.ok || check.refusal.code !== 'deny_reason') return answer(check);
      return {
        dialog: {
          callbackId: 'approval.deny.submit',
          title: 'Deny request',
          submitLabel: 'Deny',
          privateValue: String(ticketId),
          inputs: [{ id: 'note', label: 'Reason (the requester sees it)', multiline: true }],
        },
        fallback: { text: 'Deny request: reply with the reason.' },
      };
    },
  },
  {
    actionId: 'approval.deny.submit',
    async run(deps, tx, actor, event) {
      const ticketId = ticketIdOf(event);
      if (ticketId === undefined) return say('That form is missing its request.');
      return answer(await decideApproval(deps, tx, actor, ticketId, 'deny', event.inputs?.note ?? ''));
    },
  },
];
