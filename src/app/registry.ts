/**
 * The lists that tie the features together, assembled here so that no core module imports its
 * siblings to register them: every command, every card action, and the ticket hooks.
 */
import type { ActionSpec } from '../core/actions/action.ts';
import { ticketActions } from '../core/actions/ticket.actions.ts';
import { apiKeyCommands } from '../core/apikeys/apikey.commands.ts';
import { approvalActions } from '../core/approvals/approval.actions.ts';
import { approvalCommands } from '../core/approvals/approval.commands.ts';
import { assignmentCommands } from '../core/assignment/assignment.commands.ts';
import { assignmentFollowUp } from '../core/assignment/assignment.ts';
import { auditCommands } from '../core/audit/audit.commands.ts';
import type { CommandSpec } from '../core/commands/command.ts';
import { configCommands } from '../core/commands/config.commands.ts';
import { helpCommand } from '../core/commands/registry.ts';
import { ticketCommands } from '../core/commands/ticket.commands.ts';
import type { CoreDeps } from '../core/deps.ts';
import { formCommands } from '../core/forms/form.commands.ts';
import { jsmTicketHook } from '../core/jsm/jsm.sync.ts';
import { kbActions } from '../core/kb/kb.actions.ts';
import { kbCommands } from '../core/kb/kb.commands.ts';
import { deadLetterCommands } from '../core/outbox/deadletters.commands.ts';
import { privacyCommands } from '../core/privacy/privacy.commands.ts';
import { retentionCommands } from '../core/privacy/retention.commands.ts';
import { slaCommands } from '../core/sla/sla.commands.ts';
import { statsCommands } from '../core/stats/stats.commands.ts';
import type { TicketFollowUp, TicketHook } from '../core/tickets/ticket.hooks.ts';
import { timeCommands } from '../core/time/time.commands.ts';
import { webhookCommands } from '../core/webhooks/webhook.commands.ts';
import { webhookTicketHook } from '../core/webhooks/webhook.events.ts';

/** Every command, in the order `help` lists them. */
export const COMMANDS: readonly CommandSpec<CoreDeps>[] = [
  ...ticketCommands,
  ...timeCommands,
  ...configCommands,
  ...assignmentCommands,
  ...approvalCommands,
  ...formCommands,
  ...slaCommands,
  ...statsCommands,
  ...kbCommands,
  ...deadLetterCommands,
  ...auditCommands,
  ...retentionCommands,
  ...privacyCommands,
  ...apiKeyCommands,
  ...webhookCommands,
  helpCommand,
];

export const ACTIONS: readonly ActionSpec<CoreDeps>[] = [...ticketActions, ...approvalActions, ...kbActions];

/** Features' reactions to every ticket change: webhook events (and the JSM mirror). */
export const TICKET_HOOKS: readonly TicketHook<CoreDeps>[] = [webhookTicketHook, jsmTicketHook];

/** Changes that follow a complete change: automatic assignment on filing and on reopen. */
export const TICKET_FOLLOW_UPS: readonly TicketFollowUp<CoreDeps>[] = [assignmentFollowUp];

/** Core's deps for one process: the ports the app built, plus the registries above. */
export function coreDeps(
  ports: Omit<CoreDeps, 'commands' | 'actions' | 'ticketHooks' | 'ticketFollowUps'> &
    Partial<Pick<CoreDeps, 'ticketHooks'>>,
): CoreDeps {
  return {
    ...ports,
    commands: COMMANDS,
    actions: ACTIONS,
    ticketHooks: [...TICKET_HOOKS, ...(ports.ticketHooks ?? [])],
    ticketFollowUps: TICKET_FOLLOW_UPS,
  };
}
