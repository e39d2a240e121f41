import type { FastifyInstance } from 'fastify';
import { redactText } from '../agents/guard.ts';
import type { AgentRouter, AgentRouterDeps } from '../agents/router.ts';
import { slackConfigFrom } from '../bots/slack/config.ts';
import type { MountTeamsOptions } from '../bots/teams/app.ts';
import { teamsEnabled } from '../bots/teams/config.ts';
import type { Notifier, Notifiers } from '../core/chat/notifier.ts';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db.ts';
import type { CoreDeps } from '../core/deps.ts';
import { accept, recoverUnfinished, waitForProcessing } from '../core/inbox/inbox.ts';
import { jobId } from '../core/jobs/jobs.ts';
import { describeVectorSearch, vectorSearchStatus } from '../core/kb/kb.vectors.ts';
import type { Logger } from '../core/logger.ts';
import { claimResultForInvoke } from '../core/outbox/invoke-answer.ts';
import { latestCardOf } from '../core/outbox/outbox.repository.ts';
import type { Router } from '../core/routing/router.ts';
import type { ChartRenderer } from '../core/stats/digest.ts';
import type { TicketHook } from '../core/tickets/ticket.hooks.ts';
import { mountChartRoute } from './chart-route.ts';
import { systemClock } from './clock.ts';
import type { Config } from './config.ts';
import { ConfigError, integrationSettings } from './config.ts';
import { describeStorage } from './config-report.ts';
import { type Database, openDatabase } from './database.ts';
import { refreshGauges } from './gauges.ts';
import { jobHandlers } from './jobs.ts';
import { mountJsmRoute } from './jsm-route.ts';
import { createLogger } from './logger.ts';
import { createMetrics, type Metrics, observeLlmCall } from './metrics.ts';
import { MIGRATIONS_PENDING, migrateToLatest, pendingMigrations } from './migrate.ts';
import { mountPrivacyRoute } from './privacy-route.ts';
import { createQueue, type QueueRuntime } from './queue.ts';
import { ACTIONS, coreDeps } from './registry.ts';
import { installSchedules } from './schedules.ts';
import { startTracing } from './tracing.ts';

export interface AppOptions {
  http?: boolean;
  worker?: boolean;
  /** Apply migrations first (always in local mode). */
  migrate?: boolean;
  notifiers?: Notifier[];
  clock?: Clock;
  router?: Router;
  /** Ticket hooks beside the ones the app's own router brings (tests pass a router's knowledge mining). */
  ticketHooks?: TicketHook<CoreDeps>[];
  log?: Logger;
  /** Mount the configured Slack/Teams adapters on HTTP (tests that mount their own say false). */
  platforms?: boolean;
  /** Queue name; tests use one per test. */
  queueName?: string;
  /**
   * A worker process's own health port (WORKER_HEALTH_PORT): /healthz, /readyz (database, queue, the
   * age of the last job) and /metrics, without any platform route.
   */
  healthPort?: number | undefined;
}

export interface App {
  config: Config;
  deps: CoreDeps;
  database: Database;
  queue: QueueRuntime;
  metrics: Metrics;
  http?: FastifyInstance | undefined;
  accept: (event: Parameters<typeof accept>[1]) => ReturnType<typeof accept>;
  /** Resolves once no inbound event or outbox row is pending (the console and tests wait on it). */
  idle(timeoutMs?: number): Promise<void>;
  listen(): Promise<string>;
  /** The worker health server's address, when `healthPort` was given. */
  healthAddress?: string | undefined;
  close(): Promise<void>;
}

/** What `promise` resolves to, or `fallback` after 800 ms (a readiness check that hangs is a no). */
function within<T, F>(promise: Promise<T>, fallback: F, ms = 800): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<F>((resolve) => {
      timer = setTimeout(() => resolve(fallback), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The digest's chart renderer when PUBLIC_URL says where Slack and Teams can fetch images; loaded
 * lazily so processes that never draw a chart do not load ECharts.
 */
async function digestChart(
  config: Config,
  deps: CoreDeps,
  notifiers: Notifiers,
): Promise<ChartRenderer | undefined> {
  if (!config.PUBLIC_URL) {
    if (notifiers.slack || notifiers.teams)
      deps.log.info('PUBLIC_URL is not set: the daily digest is posted without its chart image');
    return undefined;
  }
  const { createChartRenderer } = await import('./chart.ts');
  return createChartRenderer({ db: deps.db, clock: deps.clock, log: deps.log, publicUrl: config.PUBLIC_URL });
}

/**
 * The core look-ups behind the Teams adapter's invoke answers: whether a button press has been
 * processed yet, the latest card of a message the bot posted, which verbs are actions, and the
 * press's private answer (claimed so the invoke shows it instead of a separate message).
 */
export function teamsLookups(
  db: Db,
): Pick<MountTeamsOptions, 'awaitProcessed' | 'latestCard' | 'knownAction' | 'claimInvokeAnswer'> {
  return {
    awaitProcessed: (inboundEventId, timeoutMs) => waitForProcessing(db, inboundEventId, { timeoutMs }),
    latestCard: (channel, messageId) => latestCardOf(db, { platform: 'teams', channel, messageId }),
    knownAction: (verb) => ACTIONS.some((action) => action.actionId === verb),
    claimInvokeAnswer: (inboundEventId) => claimResultForInvoke(db, 'teams', inboundEventId),
  };
}

/**
 * The agent router, loaded on first use: LangChain, wink-nlp's model and the local classifiers cost
 * tens of MB, and `serve` never routes (its knowledge-mining hook loads them only when a ticket is
 * resolved there, through the REST API). A worker loads and trains them at start.
 */
function lazyAgentRouter(routerDeps: AgentRouterDeps) {
  let loading: Promise<AgentRouter> | undefined;
  const load = () =>
    (loading ??= import('../agents/router.ts').then(({ createAgentRouter }) =>
      createAgentRouter(routerDeps),
    ));
  const router: Router = { route: async (input) => (await load()).route(input) };
  const knowledgeMining: TicketHook<CoreDeps> = async (tx, deps, change) =>
    (await load()).knowledgeMining(tx, deps, change);
  return { load, router, knowledgeMining };
}

/** Wires one process: database, queue, core deps, workers and the HTTP server, by configuration. */
export async function buildApp(config: Config, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? createLogger(config);
  const storage = describeStorage(config);
  log.info(storage, `starting: database ${storage.database}, queue ${storage.queue}`);
  const slack = slackConfigFrom(config);
  if (slack.kind === 'invalid') throw new ConfigError(`Invalid ${slack.variable}: ${slack.message}`);
  const metrics = createMetrics();
  // Before anything that may open a span; nothing is loaded unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const role = options.http === options.worker ? 'all' : options.http ? 'serve' : 'worker';
  const tracing = await startTracing(config, role, log);
  const database = await openDatabase(config, { log });
  let queue: QueueRuntime;
  // Migrations are either applied here or owned by `helpdesk migrate`; until then, not ready.
  let migrated = false;
  try {
    if (options.migrate ?? config.localMode) {
      await database.setEmbeddedSearchPath('public');
      const outcome = await migrateToLatest(database.db);
      if (outcome.error)
        throw new Error(`migration failed: ${String((outcome.error as Error).message ?? outcome.error)}`);
      if (outcome.applied.length) log.info({ applied: outcome.applied }, 'migrations applied');
      migrated = true;
    } else {
      const pending = await pendingMigrations(database.db);
      migrated = pending.length === 0;
      if (!migrated) log.warn({ pending }, `database migrations are ${MIGRATIONS_PENDING}`);
    }
    queue = await createQueue(config, database, log, options.queueName);
  } catch (error) {
    await database.close();
    throw error;
  }
  const migrations = async () => {
    if (!migrated) migrated = (await pendingMigrations(database.db)).length === 0;
    return migrated ? 'up to date' : MIGRATIONS_PENDING;
  };
  const notifiers: Notifiers = {};
  for (const notifier of options.notifiers ?? []) notifiers[notifier.platform] = notifier;
  // Each platform's SDK loads only when that platform is configured.
  if (slack.kind === 'enabled' && !notifiers.slack) {
    const { createSlackNotifier } = await import('../bots/slack/notifier.ts');
    notifiers.slack = createSlackNotifier({ config: slack.config, log, registry: metrics.registry });
  }
  if (teamsEnabled(config) && !notifiers.teams) {
    const { createTeamsNotifier } = await import('../bots/teams/notifier.ts');
    notifiers.teams = createTeamsNotifier({ config, log });
  }
  const clock = options.clock ?? systemClock;
  let router = options.router;
  const ticketHooks = [...(options.ticketHooks ?? [])];
  if (!router) {
    const agents = lazyAgentRouter({
      db: database.db,
      clock,
      log,
      settings: config,
      onLlmCall: (call) => observeLlmCall(metrics, call),
    });
    ticketHooks.push(agents.knowledgeMining);
    router = agents.router;
    if (options.worker) (await agents.load()).warm();
  }
  const deps = coreDeps({
    db: database.db,
    clock,
    jobs: queue,
    log,
    router,
    config: {
      admins: config.HELPDESK_ADMINS,
      localMode: config.localMode,
      llmCacheTtlSeconds: config.LLM_CACHE_TTL_SECONDS,
      publicUrl: config.PUBLIC_URL || (config.localMode ? `http://localhost:${config.PORT}` : undefined),
      ...integrationSettings(config),
    },
    notifiers,
    ticketHooks,
    textVariants: (text) => [redactText(text)],
  });
  const acceptEvent: App['accept'] = async (event) => {
    const result = await accept(deps, event);
    metrics.inboundEvents.inc({
      platform: event.platform,
      outcome: result.duplicate ? 'duplicate' : 'recorded',
    });
    return result;
  };

  // Said once at start-up: whether answers use vectors, and why not.
  // LangChain's OpenAI client loads only when embeddings are configured.
  const embedder = config.OPENAI_EMBEDDINGS_MODEL
    ? (await import('../agents/llm/model.ts')).createModel(config)?.embeddings
    : undefined;
  const vectors = await vectorSearchStatus(database.db, embedder).catch(
    (error: Error) => ({ on: false, reason: `could not tell (${error.message})` }) as const,
  );
  log.info({ vectorSearch: vectors.on, reason: vectors.reason }, describeVectorSearch(vectors));

  let lastJobAt: number | undefined;
  if (options.worker) {
    const chart = await digestChart(config, deps, notifiers);
    await queue.startWorker(jobHandlers(deps, metrics, chart, embedder), {
      onJob: (name, outcome, seconds) => {
        metrics.jobs.inc({ name, outcome });
        metrics.jobDuration.observe({ name }, seconds);
        lastJobAt = Date.now();
        metrics.lastJob.set(lastJobAt / 1000);
      },
    });
    // Recovery (at start and every minute), the timer reconciler and the daily digest.
    await installSchedules(queue, database.db, log);
    // Articles written while vectors were off, or by a different embeddings model, are embedded now.
    if (vectors.on)
      await queue
        .enqueue('kb-embed', {}, { jobId: jobId('kb-embed', 'start', Date.now()) })
        .catch((error) => log.warn({ err: error }, 'could not enqueue kb-embed at start-up'));
    // Postgres is the source of truth: when Redis comes back, re-create the schedules, and when it
    // came back empty, re-enqueue every unfinished row and re-plan every timer at once.
    queue.watch(async ({ lost }) => {
      await installSchedules(queue, database.db, log);
      if (!lost) return;
      await recoverUnfinished(deps, { queueLost: true });
      await queue.enqueue('reconcile-timers', {}, { jobId: jobId('reconcile', 'queue-lost', Date.now()) });
    });
  }

  // Each check is bounded on its own, so a hung one says which dependency is away.
  const ready = async () => {
    const [databaseUp, queueUp, migrated] = await Promise.all([
      within(
        database.pool.query('select 1').then(
          () => true,
          () => false,
        ),
        false,
      ),
      within(
        queue.ping().catch(() => false),
        false,
      ),
      within(
        migrations().catch(() => 'unknown'),
        'unknown',
      ),
    ]);
    return { database: databaseUp, queue: queueUp, migrations: migrated };
  };
  const beforeScrape = async () => {
    const checks = await ready();
    const upToDate = checks.migrations === 'up to date';
    metrics.ready.set({ check: 'database' }, checks.database ? 1 : 0);
    metrics.ready.set({ check: 'queue' }, checks.queue ? 1 : 0);
    metrics.ready.set({ check: 'migrations' }, upToDate ? 1 : 0);
    metrics.ready.set({ check: 'all' }, checks.database && checks.queue && upToDate ? 1 : 0);
    await refreshGauges(metrics, database.db, queue);
  };
  let http: FastifyInstance | undefined;
  if (options.http) {
    const { createHttpServer } = await import('./http.ts');
    http = createHttpServer({ log, metrics, ready, beforeScrape });
    mountChartRoute(http, database.db);
    mountPrivacyRoute(http, database.db, clock);
    const { mountRestApi } = await import('./api/api.ts');
    await mountRestApi(http, deps, config);
    mountJsmRoute(http, deps);
  }
  let health: FastifyInstance | undefined;
  let healthAddress: string | undefined;
  if (options.healthPort !== undefined) {
    const { createHttpServer } = await import('./http.ts');
    health = createHttpServer({
      log,
      metrics,
      // The last job's age is reported, not judged: an idle worker among several is healthy.
      ready: async () => ({
        ...(await ready()),
        lastJob:
          lastJobAt === undefined
            ? null
            : { at: new Date(lastJobAt).toISOString(), ageSeconds: (Date.now() - lastJobAt) / 1000 },
      }),
      beforeScrape,
    });
    try {
      healthAddress = await health.listen({ host: config.HOST, port: options.healthPort });
    } catch (error) {
      await queue.close().catch(() => {});
      await database.close().catch(() => {});
      throw new Error(
        `cannot listen on WORKER_HEALTH_PORT ${options.healthPort}: ${(error as Error).message}`,
      );
    }
  }

  const mounts: Array<{ close(): Promise<void> }> = [];
  if (http && options.platforms !== false && slack.kind === 'enabled') {
    const { mountSlack } = await import('../bots/slack/app.ts');
    mounts.push(
      await mountSlack(http, {
        config: slack.config,
        accept: acceptEvent,
        log,
        notifier: notifiers.slack as never,
        modalCallbacks: ACTIONS.map((action) => action.actionId),
      }),
    );
  }
  if (http && options.platforms !== false && teamsEnabled(config)) {
    const { mountTeams } = await import('../bots/teams/app.ts');
    mountTeams(http, { config, accept: acceptEvent, log, ...teamsLookups(database.db) });
  }
  // Ready: one-shot commands on the same embedded DATA_DIR may now connect through this process.
  database.share();

  return {
    config,
    deps,
    database,
    queue,
    metrics,
    http,
    accept: acceptEvent,
    healthAddress,
    async idle(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const events = await database.db
          .selectFrom('inbound_events')
          .select('id')
          .where('status', '=', 'pending')
          .limit(1)
          .execute();
        const outbox = await database.db
          .selectFrom('outbox')
          .select('id')
          .where('status', '=', 'pending')
          .limit(1)
          .execute();
        if (events.length === 0 && outbox.length === 0) return;
        if (Date.now() > deadline) throw new Error('timed out waiting for the helpdesk to finish its work');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async listen() {
      if (!http) throw new Error('HTTP is not enabled in this process');
      return http.listen({ host: config.HOST, port: config.PORT });
    },
    async close() {
      for (const mount of mounts) await mount.close().catch(() => {});
      await http?.close();
      await health?.close();
      await queue.close();
      await database.close();
      await tracing.flush().catch(() => {});
    },
  };
}
