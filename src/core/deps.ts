import type { ActionSpec } from './actions/action.ts';
import type { Notifiers } from './chat/notifier.ts';
import type { Clock } from './clock.ts';
import type { CommandSpec } from './commands/command.ts';
import type { CoreConfig } from './config.ts';
import type { Db } from './db.ts';
import type { JobQueue } from './jobs/jobs.ts';
import type { Logger } from './logger.ts';
import type { Router } from './routing/router.ts';
import type { TicketFollowUp, TicketHook } from './tickets/ticket.hooks.ts';

export type { CoreConfig };

/** What every use case may use; the app builds one per process. */
export interface CoreDeps {
  /** Always the pool: a use case that writes takes its transaction as its own `tx` argument. */
  db: Db;
  clock: Clock;
  jobs: JobQueue;
  log: Logger;
  router: Router;
  config: CoreConfig;
  /** Platform notifiers, for directory look-ups (delivery itself goes through the outbox). */
  notifiers: Notifiers;
  /** Every command and card action, assembled by the app from the features. */
  commands: readonly CommandSpec<CoreDeps>[];
  actions: readonly ActionSpec<CoreDeps>[];
  /** Other features' reactions to ticket changes (knowledge mining), run by `changeTicket`. */
  ticketHooks: readonly TicketHook<CoreDeps>[];
  /** Changes other features make after a change is complete (automatic assignment), through `changeTicket`. */
  ticketFollowUps: readonly TicketFollowUp<CoreDeps>[];
  /**
   * Other forms a person's text is stored in (the redacted copy model calls record), so an erasure
   * finds those too. The app supplies the agents' redaction.
   */
  textVariants?: ((text: string) => string[]) | undefined;
}
