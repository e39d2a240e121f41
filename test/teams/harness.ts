import { readFileSync } from 'node:fs';
import { teamsLookups } from '../../src/app/runtime.ts';
import { mountTeams } from '../../src/bots/teams/app.ts';
import type { TeamsSettings } from '../../src/bots/teams/config.ts';
import { createTeamsNotifier } from '../../src/bots/teams/notifier.ts';
import type { ChatEvent } from '../../src/core/chat/chat.ts';
import { accept } from '../../src/core/inbox/inbox.ts';
import { jobId } from '../../src/core/jobs/jobs.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Router } from '../../src/core/routing/router.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { type FakeConnector, startFakeConnector } from './fake-connector.ts';

export const APP_ID = '00000000-0000-4000-8000-0000000b0701';
export const BOT_ID = `28:${APP_ID}`;
export const TENANT = '9f1e2d3c-0000-4000-8000-00000000c0de';
/** The IT team's channel the scenarios make the triage channel. */
export const TRIAGE = '19:it-triage@thread.tacv2';
/** The agent who works tickets in the scenarios. */
export const ALEX = {
  id: '29:1agent-example-teams-user-id',
  name: 'Alex Agent',
  aadObjectId: '0b0e6a4e-4444-4a4a-9c9c-0d0a0a0a0004',
};

export interface TeamsTestApp {
  app: TestApp;
  connector: FakeConnector;
  url: string;
  /** POSTs an activity to /api/messages with a valid channel token (or the given Authorization). */
  send(activity: object, authorization?: string | null): Promise<{ status: number; body: any }>;
  /**
   * From now on, activities are recorded but not processed, as when no worker is running; returns
   * the function that starts processing them (and those that follow) again.
   */
  holdProcessing(): () => Promise<void>;
  close(): Promise<void>;
}

/** Reads one of our fixtures, pointed at the fake Bot Connector and our bot. */
export function fixture(name: string, connector: FakeConnector): Record<string, any> {
  const activity = JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
  activity.serviceUrl = connector.serviceUrl;
  activity.recipient = { id: BOT_ID, name: 'Helpdesk' };
  for (const entity of activity.entities ?? []) {
    if (entity.type === 'mention' && entity.mentioned?.id?.startsWith('28:')) entity.mentioned.id = BOT_ID;
  }
  for (const member of activity.membersAdded ?? []) if (member.id.startsWith('28:')) member.id = BOT_ID;
  return activity;
}

/**
 * The whole app (real Postgres, Redis, workers) with the Teams adapter mounted on its HTTP server
 * and the Teams notifier talking to a fake Bot Connector; tokens are signed by the fake's key.
 */
export async function startTeamsTestApp(options: { env?: Record<string, string>; router?: Router } = {}) {
  const connector = await startFakeConnector();
  const env = {
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: 'test-password-never-sent',
    ...options.env,
  };
  const auth = { openIdMetadataUrl: connector.openIdMetadataUrl, tokenIssuer: connector.tokenIssuer };
  const connectorToken = { getToken: async () => 'connector-token' };
  // The config is parsed by the app; the notifier needs it before the app exists.
  const { testConfig } = await import('../support/db.ts');
  const config = testConfig(env);
  const settings = config as unknown as TeamsSettings;
  const notifier = createTeamsNotifier({ config: settings, log: silentLogger, auth, connectorToken });
  const app = await startTestApp({
    config,
    notifiers: [notifier],
    ...(options.router ? { router: options.router } : {}),
  });
  let held: number[] | undefined;
  const recordOnly = { db: app.deps.db, log: app.deps.log, jobs: { enqueue: async () => {} } };
  const acceptEvent = async (event: ChatEvent) => {
    if (!held) return app.accept(event);
    const result = await accept(recordOnly, event);
    if (!result.duplicate) held.push(result.id);
    return result;
  };
  mountTeams(app.http!, {
    config: settings,
    accept: acceptEvent,
    log: silentLogger,
    auth,
    connectorToken,
    ...teamsLookups(app.database.db),
  });
  const url = await app.listen();
  return {
    app,
    connector,
    url,
    async send(activity: object, authorization?: string | null) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const auth = authorization === undefined ? `Bearer ${connector.channelToken(APP_ID)}` : authorization;
      if (auth !== null) headers.authorization = auth;
      const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    holdProcessing() {
      const events: number[] = [];
      held = events;
      return async () => {
        held = undefined;
        for (const id of events) {
          await app.deps.jobs.enqueue('process-event', { inboundEventId: id }, { jobId: jobId('event', id) });
        }
      };
    },
    async close() {
      await app.close();
      const { dropSchema } = await import('../support/db.ts');
      await dropSchema(config.DATABASE_SCHEMA);
      await connector.close();
    },
  } satisfies TeamsTestApp;
}
