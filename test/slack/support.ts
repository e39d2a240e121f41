/** Test support for the Slack suites: signed requests, and the real adapter on the real app pieces. */

import { createHmac, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/app/config.ts';
import { type Database, openDatabase } from '../../src/app/database.ts';
import { createHttpServer } from '../../src/app/http.ts';
import { createMetrics } from '../../src/app/metrics.ts';
import { migrateToLatest } from '../../src/app/migrate.ts';
import { createQueue, type QueueRuntime } from '../../src/app/queue.ts';
import { ACTIONS } from '../../src/app/registry.ts';
import { type AcceptEvent, mountSlack, type SlackMount } from '../../src/bots/slack/app.ts';
import { createSlackNotifier, type SlackNotifier } from '../../src/bots/slack/notifier.ts';
import { accept } from '../../src/core/inbox/inbox.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Router } from '../../src/core/routing/router.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { dropSchema } from '../support/db.ts';
import { type FakeSlack, startFakeSlack } from './fake-slack.ts';

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

export interface SignOptions {
  secret?: string;
  /** Seconds since the epoch; now by default. */
  timestamp?: number;
}

/** The two headers Slack adds to every request: `v0=` HMAC-SHA256 over `v0:{ts}:{raw body}`. */
export function slackSignature(rawBody: string, options: SignOptions = {}): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const digest = createHmac('sha256', options.secret ?? SIGNING_SECRET)
    .update(`v0:${timestamp}:${rawBody}`)
    .digest('hex');
  return { 'x-slack-signature': `v0=${digest}`, 'x-slack-request-timestamp': String(timestamp) };
}

export interface SlackRequest {
  /** An Events API body (sent as JSON), an interactivity payload (sent as `payload=`), or a raw form. */
  json?: unknown;
  interactive?: unknown;
  form?: string;
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
  sign?: SignOptions | false;
}

export function encodeRequest(request: SlackRequest): { body: string; contentType: string } {
  if (request.interactive !== undefined) {
    return {
      body: `payload=${encodeURIComponent(JSON.stringify(request.interactive))}`,
      contentType: 'application/x-www-form-urlencoded',
    };
  }
  if (request.form !== undefined)
    return { body: request.form, contentType: 'application/x-www-form-urlencoded' };
  if (request.raw !== undefined)
    return { body: request.raw, contentType: request.contentType ?? 'application/json' };
  return { body: JSON.stringify(request.json), contentType: 'application/json' };
}

/** Posts to `/slack/events` as Slack would, signed unless told otherwise. */
export async function postToSlackEvents(baseUrl: string, request: SlackRequest): Promise<Response> {
  const { body, contentType } = encodeRequest(request);
  const signature = request.sign === false ? {} : slackSignature(body, request.sign ?? {});
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...signature, ...request.headers },
    body,
  });
}

export interface SlackTransportHarness {
  url: string;
  slack: FakeSlack;
  database: Database;
  queue: QueueRuntime;
  http: FastifyInstance;
  mount: SlackMount;
  post(request: SlackRequest): Promise<Response>;
  /** What the inbox holds, oldest first. */
  stored(): Promise<Array<{ event_id: string; kind: string; payload: any }>>;
  close(): Promise<void>;
}

/**
 * The adapter on the project's HTTP server, recording into a fresh Postgres schema through the
 * core inbox and enqueueing on a Redis queue of its own. No workers: the transport is under test.
 */
export async function startSlackTransport(
  options: { accept?: AcceptEvent } = {},
): Promise<SlackTransportHarness> {
  const slack = await startFakeSlack();
  const suffix = randomUUID().slice(0, 8);
  const config = loadConfig({
    DATABASE_URL: POSTGRES_URL,
    DATABASE_SCHEMA: `slack_${suffix}`,
    REDIS_URL,
    QUEUE_PREFIX: `slack-${suffix}`,
    LOG_LEVEL: 'silent',
  });
  const database = await openDatabase(config);
  const migrated = await migrateToLatest(database.db);
  if (migrated.error) throw migrated.error;
  const queue = await createQueue(config, database, silentLogger);
  const http = createHttpServer({
    log: silentLogger,
    metrics: createMetrics(),
    ready: async () => ({ database: true, queue: true }),
  });
  const mount = await mountSlack(http, {
    config: { botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl },
    accept: options.accept ?? ((event) => accept({ db: database.db, jobs: queue, log: silentLogger }, event)),
    log: silentLogger,
  });
  const url = await http.listen({ port: 0, host: '127.0.0.1' });

  return {
    url,
    slack,
    database,
    queue,
    http,
    mount,
    post: (request) => postToSlackEvents(url, request),
    async stored() {
      return (await database.db
        .selectFrom('inbound_events')
        .select(['event_id', 'kind', 'payload'])
        .orderBy('id')
        .execute()) as Array<{ event_id: string; kind: string; payload: any }>;
    },
    async close() {
      await mount.close();
      await http.close();
      await queue.close();
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`slack-${suffix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await database.close();
      await dropSchema(`slack_${suffix}`);
      await slack.close();
    },
  };
}

export const people = {
  alice: { id: 'U0ALICE', name: 'alice', displayName: 'Alice', email: 'alice@acme.test' },
  dana: { id: 'U0AGENT', name: 'dana', displayName: 'Dana (IT)', email: 'dana@acme.test' },
  bob: { id: 'U0BOB', name: 'bob', displayName: 'Bob (IT)', email: 'bob@acme.test' },
} as const;

export interface SlackAppHarness {
  url: string;
  slack: FakeSlack;
  app: TestApp;
  notifier: SlackNotifier;
  post(request: SlackRequest): Promise<Response>;
  /** Waits until every recorded event is processed and every outbox row delivered. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The whole helpdesk (HTTP, workers, core on real Postgres and Redis) with Slack mounted on its
 * server and the Web API pointed at a fake Slack. Dana is an admin (HELPDESK_ADMINS).
 */
export async function startSlackApp(
  options: {
    env?: Record<string, string>;
    /** The agent router (the real one by default); `fileEverythingRouter` keeps triage out of a test. */
    router?: Router;
  } = {},
): Promise<SlackAppHarness> {
  const slack = await startFakeSlack();
  for (const person of Object.values(people)) slack.addUser(person);
  const notifier = createSlackNotifier({
    config: { botToken: 'xoxb-test-token', apiUrl: slack.apiUrl },
    log: silentLogger,
  });
  const app = await startTestApp({
    notifiers: [notifier],
    env: { HELPDESK_ADMINS: people.dana.email, ...options.env },
    ...(options.router ? { router: options.router } : {}),
  });
  if (!app.http) throw new Error('the test app has no HTTP server');
  const mount = await mountSlack(app.http, {
    config: { botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl },
    accept: app.accept,
    log: silentLogger,
    notifier,
    // As src/app/runtime.ts mounts it: only the helpdesk's own modals become events.
    modalCallbacks: ACTIONS.map((action) => action.actionId),
  });
  const url = await app.listen();
  return {
    url,
    slack,
    app,
    notifier,
    post: (request) => postToSlackEvents(url, request),
    idle: () => app.idle(20_000),
    async close() {
      await mount.close();
      await app.close();
      await slack.close();
    },
  };
}
