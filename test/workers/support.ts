/** Test support for the worker suites: a fresh schema on the real Postgres, and core deps around it. */
import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { jobHandlers } from '../../src/app/jobs.ts';
import type { Metrics } from '../../src/app/metrics.ts';
import { migrateToLatest } from '../../src/app/migrate.ts';
import { coreDeps } from '../../src/app/registry.ts';
import type { ConversationRef } from '../../src/core/chat/chat.ts';
import { type Clock, fixedClock } from '../../src/core/clock.ts';
import { runCommand as runCommandTx } from '../../src/core/commands/registry.ts';
import type { Db } from '../../src/core/db.ts';
import type { CoreDeps } from '../../src/core/deps.ts';
import type { EnqueueOptions, JobName, JobQueue } from '../../src/core/jobs/jobs.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Person } from '../../src/core/people/people.service.ts';
import type { Role } from '../../src/core/people/people.table.ts';
import { setSetting, triageChannelKey } from '../../src/core/settings/settings.ts';
import { refusalText } from '../../src/core/tickets/refusal.ts';
import * as tickets from '../../src/core/tickets/ticket.service.ts';
import type { Category, Priority } from '../../src/core/tickets/ticket.ts';
import { dropSchema } from '../support/db.ts';
import { inOwnTx } from '../support/tx.ts';

/** The use cases the suites call directly, each in a transaction of its own. */
export const createTicket = inOwnTx(tickets.createTicket);
export const claimTicket = inOwnTx(tickets.claimTicket);
export const agentReply = inOwnTx(tickets.agentReply);
export const requesterReply = inOwnTx(tickets.requesterReply);
export const setPending = inOwnTx(tickets.setPending);
export const setPriority = inOwnTx(tickets.setPriority);
export const resolveTicket = inOwnTx(tickets.resolveTicket);
export const rateTicket = inOwnTx(tickets.rateTicket);
export const runCommand = inOwnTx(runCommandTx);

/** The timer jobs: planned per ticket, run here through the app's one job table. */
const TIMER_JOBS = new Set<string>([
  'sla-check',
  'escalate',
  'page-on-call',
  'pending-nudge',
  'auto-resolve',
  'auto-close',
  'reconcile-timers',
]);

export function isTimerJob(name: string): name is JobName {
  return TIMER_JOBS.has(name);
}

/** Runs one recorded job with the handler the app binds to its name. */
export function runTimerJob(
  deps: CoreDeps,
  name: JobName,
  data: unknown,
  metrics?: Metrics,
): Promise<unknown> {
  const handler = jobHandlers(deps, metrics)[name] as (data: unknown) => Promise<unknown>;
  return handler(data);
}

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const int8AsNumber: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export interface TestDb {
  db: Db;
  schema: string;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** A fresh schema with every migration applied. */
export async function freshSchema(prefix: string, url = POSTGRES_URL): Promise<TestDb> {
  const schema = `${prefix}_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema "${schema}"`);
  await admin.end();
  const pool = new pg.Pool({
    connectionString: url,
    max: 6,
    types: int8AsNumber,
    options: `-c search_path=${schema}`,
  });
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) }) as Db;
  const outcome = await migrateToLatest(db);
  if (outcome.error) throw outcome.error;
  return {
    db,
    schema,
    pool,
    async close() {
      await db.destroy();
      await dropSchema(schema);
    },
  };
}

export interface Enqueued {
  name: JobName;
  data: Record<string, unknown>;
  options: EnqueueOptions;
  /** When it would run: the clock at enqueue time plus the delay. */
  runAt: Date;
}

/** A JobQueue that records what was enqueued (deduplicating by job id, as BullMQ does). */
export function recordingQueue(
  clock: Clock,
): JobQueue & { enqueued: Enqueued[]; take(): Enqueued[]; lose(): void } {
  const enqueued: Enqueued[] = [];
  const seen = new Set<string>();
  return {
    enqueued,
    async enqueue(name, data, options = {}) {
      if (options.jobId) {
        if (seen.has(options.jobId)) return;
        seen.add(options.jobId);
      }
      const runAt = new Date(clock.now().getTime() + (options.delayMs ?? 0));
      enqueued.push({ name, data: data as Record<string, unknown>, options, runAt });
    },
    /** Hands over what was enqueued; the jobs stay "in the queue" (their ids still dedupe). */
    take() {
      return enqueued.splice(0, enqueued.length);
    },
    /** Simulates a queue that lost every job (e.g. Redis flushed). */
    lose() {
      enqueued.splice(0, enqueued.length);
      seen.clear();
    },
  };
}

export function testDeps(db: Db, start: string) {
  const clock = fixedClock(start);
  const jobs = recordingQueue(clock);
  const deps: CoreDeps = coreDeps({
    db,
    clock,
    jobs,
    log: silentLogger,
    router: {
      async route() {
        throw new Error('no router in worker tests');
      },
    },
    config: { admins: [], localMode: true },
    notifiers: {},
  });
  return { deps, clock, jobs };
}

export const consoleTriage: ConversationRef = { platform: 'console', tenant: 'local', channel: 'it-triage' };
export const consoleRequester: ConversationRef = {
  platform: 'console',
  tenant: 'local',
  channel: 'dm-alice',
  isDirect: true,
};

export async function person(db: Db, name: string, role: Role): Promise<Person> {
  const row = await db
    .insertInto('people')
    .values({ email: `${name.toLowerCase()}@example.com`, display_name: name })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('identities')
    .values({
      platform: 'console',
      user_id: name.toLowerCase(),
      tenant: 'local',
      person_id: row.id,
      display_name: name,
      email: null,
    })
    .execute();
  await db.insertInto('roles').values({ person_id: row.id, role, granted_by: null }).execute();
  return { id: row.id, displayName: name, email: `${name.toLowerCase()}@example.com`, role };
}

/** People and a triage channel, as a configured install has them. */
export async function seedInstall(db: Db) {
  await setSetting(db, triageChannelKey('console'), consoleTriage, null);
  const requester = await person(db, 'Alice', 'requester');
  const agent = await person(db, 'Bob', 'agent');
  const admin = await person(db, 'Carol', 'admin');
  return { requester, agent, admin };
}

/** Empties what the timer suites write and seeds the install again, so each test starts alike. */
export async function resetInstall(db: Db) {
  for (const table of ['tickets', 'outbox', 'settings', 'roles', 'identities', 'people'] as const)
    await db.deleteFrom(table).execute();
  return seedInstall(db);
}

/** Files a ticket for the requester at `at`, with fresh deps whose clock and recorded jobs come back with it. */
export async function fileTicket(
  db: Db,
  requester: Person,
  input: { description: string; category: Category; priority: Priority },
  at: string,
) {
  const env = testDeps(db, at);
  const result = await createTicket(env.deps, requester, {
    description: input.description,
    triage: { priority: input.priority, category: input.category },
    conversation: consoleRequester,
  });
  if (!result.ok) throw new Error(refusalText(result.refusal));
  return { ...env, ticket: result.ticket };
}

/** Outbox rows for a ticket, oldest first, as text. */
export async function outboxTexts(db: Db, ticketId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['body', 'op'])
    .where('ticket_id', '=', ticketId)
    .orderBy('id')
    .execute();
  return rows.filter((row) => row.op === 'post').map((row) => row.body.message?.text ?? '');
}

/** Polls `probe` until it returns a value (a job ran, a row appeared), or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
