import { randomUUID } from 'node:crypto';
import {
  createPostgresBackend,
  DelayedError,
  type Job,
  type JobsOptions,
  Queue,
  UnrecoverableError,
  Worker,
  withBackend,
} from 'bullmq';
import { Redis } from 'ioredis';
import {
  type EnqueueOptions,
  type JobData,
  type JobName,
  type JobQueue,
  PermanentJobError,
  RetryLaterError,
} from '../core/jobs/jobs.ts';
import type { Logger } from '../core/logger.ts';
import { contextFrom, inSpan, linkFrom, traceCarrier } from '../core/tracing.ts';
import type { Config } from './config.ts';
import { maskUrl } from './config-report.ts';
import { type Database, databaseErrorFields, listenedClient } from './database.ts';
import { DELIVERY_BACKOFF, deliveryAttempts, deliveryBackoff } from './retry-policy.ts';

export interface JobContext {
  id: string;
  /** Failed attempts so far (waits — RetryLaterError — are not attempts). */
  attempts: number;
  /** The queue will not retry this attempt if it fails. */
  final?: boolean;
}
export type JobHandler<N extends JobName> = (data: JobData<N>, job: JobContext) => Promise<unknown>;
export type JobHandlers = { [N in JobName]: JobHandler<N> };

export interface QueueRuntime extends JobQueue {
  backend: 'redis' | 'postgres';
  startWorker(
    handlers: JobHandlers,
    options?: { concurrency?: number; onJob?: (name: string, outcome: string, seconds: number) => void },
  ): Promise<void>;
  /** Repeats a job forever (reconciler, recovery). */
  every<N extends JobName>(name: N, data: JobData<N>, everyMs: number): Promise<void>;
  cron<N extends JobName>(name: N, data: JobData<N>, pattern: string, tz: string): Promise<void>;
  ping(): Promise<boolean>;
  /**
   * Calls `onBack` whenever the Redis connection comes back after a loss, and whenever the queue is
   * found without its data (a Redis restarted empty, a flush: checked on each reconnect and every
   * `everyMs`), `lost` saying which. The Postgres backend keeps its jobs with our rows: never called.
   */
  watch(onBack: (event: { lost: boolean }) => Promise<void>, everyMs?: number): void;
  /** Job counts by state and the age of the oldest waiting job, for the queue gauges. */
  stats(): Promise<QueueStats>;
  /** Waits for in-flight jobs to finish, then closes connections. */
  close(): Promise<void>;
}

export interface QueueStats {
  /** Jobs ready to run: the wait list and the prioritized ones (`process-event`). */
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** Seconds the oldest waiting job has been due; 0 when none waits. */
  oldestWaitingSeconds: number;
}

/**
 * Where a job carries the trace that enqueued it (W3C `traceparent`), so the worker's spans join
 * the serve process's trace. Absent when tracing is off. Delayed timers (a breach hours later)
 * start a trace of their own, linked to the one that planned them.
 */
const TRACE_FIELD = '_trace';
const LINK_ONLY_DELAY_MS = 60_000;

interface TraceField {
  carrier: Record<string, string>;
  link?: true;
}

function withoutTrace(data: Record<string, unknown>): Record<string, unknown> {
  if (!(TRACE_FIELD in data)) return data;
  const { [TRACE_FIELD]: _dropped, ...rest } = data;
  return rest;
}

/**
 * Connects once, without retrying, before BullMQ does (it retries forever): a wrong REDIS_URL stops
 * start-up with one line naming it instead of an endless stream of connection warnings.
 */
async function checkRedis(url: string): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 10_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // The event carries the cause (ECONNREFUSED, WRONGPASS); the rejected promise only 'Connection is closed'.
  let cause: { message?: string; code?: string } | undefined;
  probe.on('error', (error) => {
    cause ??= error;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const e = cause ?? (error as { message?: string; code?: string });
    throw new Error(
      `cannot connect to REDIS_URL (${maskUrl(url)}): ${e?.message || e?.code || String(error)}`,
    );
  } finally {
    probe.disconnect();
  }
}

/** The priority of `process-event` jobs: after deliveries, timers and every other job (0). */
export const NEW_WORK_PRIORITY = 10;

const DEFAULT_JOB_OPTIONS = {
  attempts: 6,
  backoff: { type: 'exponential' as const, delay: 1000 },
  removeOnComplete: { age: 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * BullMQ behind the core JobQueue port: Redis when REDIS_URL is set, otherwise BullMQ's Postgres
 * backend on the app's own database (embedded or DATABASE_URL). One queue; the job name picks the handler.
 */
export async function createQueue(
  config: Config,
  database: Database,
  log: Logger,
  name = config.QUEUE_PREFIX,
): Promise<QueueRuntime> {
  let queue: Queue;
  let makeWorker: (processor: (job: Job, token?: string) => Promise<unknown>, concurrency: number) => Worker;
  const retryPolicy = {
    retryHours: config.DELIVERY_RETRY_HOURS,
    backoffMaxSeconds: config.DELIVERY_BACKOFF_MAX_SECONDS,
  };
  // Waiting out a rate limit is a delayed job, not an attempt; these are transient failures only.
  const jobOptions: Partial<Record<JobName, JobsOptions>> = {
    deliver: { attempts: deliveryAttempts(retryPolicy), backoff: { type: DELIVERY_BACKOFF } },
    // New requests wait behind the work already under way (BullMQ runs jobs without a priority
    // before prioritized ones): under a burst each DM's answer and card go out as soon as it is
    // triaged, instead of behind the triage of every DM that arrived after it.
    'process-event': { priority: NEW_WORK_PRIORITY },
  };
  const settings = { backoffStrategy: deliveryBackoff(retryPolicy) };
  const closers: Array<() => Promise<void>> = [];
  let backend: 'redis' | 'postgres';
  let redis: Redis | undefined;

  if (config.REDIS_URL) {
    backend = 'redis';
    await checkRedis(config.REDIS_URL);
    const connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
    connection.on('error', (error) => log.warn({ err: error }, 'redis connection error'));
    redis = connection;
    closers.push(async () => {
      connection.disconnect();
    });
    queue = new Queue(name, {
      connection,
      prefix: config.QUEUE_PREFIX,
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    });
    makeWorker = (processor, concurrency) => {
      // Every Redis client needs its own error listener: an unhandled 'error' event ends the process.
      const workerConnection = connection.duplicate();
      workerConnection.on('error', (error) => log.warn({ err: error }, 'redis connection error (worker)'));
      closers.push(async () => {
        workerConnection.disconnect();
      });
      return new Worker(name, processor, {
        connection: workerConnection,
        prefix: config.QUEUE_PREFIX,
        concurrency,
        settings,
      });
    };
  } else {
    backend = 'postgres';
    const classes = withBackend(createPostgresBackend);
    // The embedded server is one session: BullMQ's migration creates its own schema, and the
    // session's search path must then reach both its tables and ours. BullMQ's pool gets clients
    // that listen for their own errors, as ours do: a Postgres restart must not end the process.
    const Client = listenedClient(log, 'queue database');
    const connection = database.embedded
      ? { connectionString: database.url, migrate: true, max: 4, Client }
      : { connectionString: database.url, schema: 'bullmq', migrate: true, max: 4, Client };
    queue = new classes.Queue(name, {
      connection,
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    }) as unknown as Queue;
    await queue.waitUntilReady();
    if (database.embedded) await database.setEmbeddedSearchPath('bullmq, public');
    // Embedded too, the worker sleeps until a NOTIFY or its next delayed job: the PGlite socket
    // server's multiplexer delivers notifications to the client that listens (pglite-multiplexer.ts).
    makeWorker = (processor, concurrency) =>
      new classes.Worker(name, processor, {
        connection,
        concurrency,
        drainDelay: 1,
        settings,
      }) as unknown as Worker;
  }
  queue.on('error', (error) => log.warn(databaseErrorFields(error), 'queue error'));
  let worker: Worker | undefined;
  let stopWatching = async () => {};

  const add = async (jobName: JobName, data: object, options: EnqueueOptions) => {
    await queue.add(jobName, data, {
      ...jobOptions[jobName],
      ...(options.delayMs ? { delay: Math.max(0, Math.round(options.delayMs)) } : {}),
      ...(options.jobId ? { jobId: options.jobId } : {}),
    });
  };
  const enqueue = async <N extends JobName>(jobName: N, data: JobData<N>, options: EnqueueOptions = {}) => {
    const payload = withoutTrace(data as Record<string, unknown>);
    if (!traceCarrier()) return add(jobName, payload, options);
    await inSpan(
      `${jobName} publish`,
      {
        'messaging.system': 'bullmq',
        'messaging.operation.type': 'send',
        'messaging.destination.name': name,
      },
      async (span) => {
        const carrier = traceCarrier() ?? {};
        const field: TraceField =
          (options.delayMs ?? 0) >= LINK_ONLY_DELAY_MS ? { carrier, link: true } : { carrier };
        span.set({ 'messaging.message.id': options.jobId, 'helpdesk.job.delay_ms': options.delayMs });
        await add(jobName, { ...payload, [TRACE_FIELD]: field }, options);
      },
      { kind: 'producer' },
    );
  };

  return {
    backend,
    enqueue,
    async startWorker(handlers, options = {}) {
      const processor = async (job: Job, token?: string) => {
        const traced = job.data?.[TRACE_FIELD] as TraceField | undefined;
        const data = withoutTrace(job.data ?? {});
        return inSpan(
          `${job.name} process`,
          {
            'messaging.system': 'bullmq',
            'messaging.operation.type': 'process',
            'messaging.destination.name': name,
            'messaging.message.id': String(job.id),
            'helpdesk.job.attempt': job.attemptsMade + 1,
          },
          (span) => run(job, token, data, (outcome) => span.set({ 'helpdesk.job.outcome': outcome })),
          traced?.link
            ? { kind: 'consumer', links: linkFrom(traced.carrier) }
            : { kind: 'consumer', parent: contextFrom(traced?.carrier) },
        );
      };
      const run = async (
        job: Job,
        token: string | undefined,
        data: Record<string, unknown>,
        outcomeIs: (outcome: string) => void,
      ) => {
        const handler = handlers[job.name as JobName] as JobHandler<JobName> | undefined;
        if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
        const started = performance.now();
        const seconds = () => (performance.now() - started) / 1000;
        try {
          const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          await handler(data as never, { id: String(job.id), attempts: job.attemptsMade, final });
          outcomeIs('completed');
          options.onJob?.(job.name, 'completed', seconds());
        } catch (error) {
          if (error instanceof RetryLaterError && token) {
            // Not a failure: the same job waits in the delayed set (BullMQ's "process step jobs"
            // pattern), keeping its id and its attempts, and no worker slot is held while it waits.
            await job.moveToDelayed(Date.now() + Math.max(1, Math.round(error.delayMs)), token);
            outcomeIs('later');
            options.onJob?.(job.name, 'later', seconds());
            throw new DelayedError(error.message);
          }
          outcomeIs('failed');
          options.onJob?.(job.name, 'failed', seconds());
          if (error instanceof PermanentJobError) throw new UnrecoverableError(error.message);
          throw error;
        }
      };
      worker = makeWorker(processor, options.concurrency ?? config.WORKER_CONCURRENCY);
      worker.on('error', (error) => log.warn(databaseErrorFields(error), 'worker error'));
      worker.on('failed', (job, error) =>
        log.warn({ job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'job failed'),
      );
      await worker.waitUntilReady();
    },
    async every(jobName, data, everyMs) {
      await queue.upsertJobScheduler(`every-${jobName}`, { every: everyMs }, { name: jobName, data });
    },
    async cron(jobName, data, pattern, tz) {
      await queue.upsertJobScheduler(`cron-${jobName}`, { pattern, tz }, { name: jobName, data });
    },
    watch(onBack, everyMs = 30_000) {
      const connection = redis;
      if (!connection) return;
      // A key only this queue writes: gone means the jobs, delayed timers and schedulers are gone too.
      const epochKey = `${config.QUEUE_PREFIX}:${name}:helpdesk-epoch`;
      let epoch: string | null = null;
      let checking: Promise<void> = Promise.resolve();
      const check = (reconnected: boolean) => {
        checking = checking.then(async () => {
          try {
            await connection.set(epochKey, randomUUID(), 'NX');
            const current = await connection.get(epochKey);
            const lost = epoch !== null && current !== epoch;
            if (lost) log.warn('the queue lost its data (Redis restarted empty?): recovering from Postgres');
            if (lost || reconnected) await onBack({ lost });
            // Only once recovered: a recovery cut short by another outage is tried again.
            epoch = current;
          } catch (error) {
            log.warn({ err: error }, 'could not check the queue; trying again at the next check');
          }
        });
        return checking;
      };
      void check(false);
      let connected = connection.status === 'ready';
      const onReady = () => {
        if (connected) void check(true);
        connected = true;
      };
      connection.on('ready', onReady);
      const timer = setInterval(() => void check(false), everyMs);
      timer.unref();
      stopWatching = async () => {
        clearInterval(timer);
        connection.off('ready', onReady);
        await checking;
      };
    },
    async ping() {
      try {
        await queue.getJobCounts('waiting');
        return true;
      } catch {
        return false;
      }
    },
    async stats() {
      const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
      // The oldest job waiting, in the wait list or among the prioritized ones (`process-event`);
      // a delayed job became due at its timestamp plus its delay.
      const firsts = await Promise.all([
        queue.getJobs(['waiting'], 0, 0, true),
        queue.getJobs(['prioritized'], 0, 0, true),
      ]);
      const dues = firsts.flat().map((job) => job.timestamp + (job.delay ?? 0));
      const dueAt = dues.length > 0 ? Math.min(...dues) : undefined;
      return {
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
        oldestWaitingSeconds: dueAt === undefined ? 0 : Math.max(0, (Date.now() - dueAt) / 1000),
      };
    },
    async close() {
      await stopWatching();
      await worker?.close();
      await queue.close();
      for (const close of closers) await close();
    },
  };
}
