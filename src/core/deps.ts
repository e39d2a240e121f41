import type { Notifiers } from './chat/notifier.ts';
import type { Clock } from './clock.ts';
import type { Db } from './db.ts';
import type { JobQueue } from './jobs/jobs.ts';
import type { Logger } from './logger.ts';
import type { Router } from './routing/router.ts';

export interface CoreConfig {
  /** First admins: e-mails or `platform:userId`. */
  admins: readonly string[];
  localMode: boolean;
}

/** What every use case may use; the app builds one per process. */
export interface CoreDeps {
  db: Db;
  clock: Clock;
  jobs: JobQueue;
  log: Logger;
  router: Router;
  config: CoreConfig;
  /** Platform notifiers, for directory look-ups (delivery itself goes through the outbox). */
  notifiers: Notifiers;
}
