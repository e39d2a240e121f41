import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountTeams } from '../../src/bots/teams/app.ts';
import type { TeamsSettings } from '../../src/bots/teams/config.ts';
import type { ChatEvent } from '../../src/core/chat/chat.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { strangerKey } from './fake-connector.ts';
import { APP_ID, fixture, startTeamsTestApp, type TeamsTestApp } from './harness.ts';

let teams: TeamsTestApp;

async function inboundRows() {
  return teams.app.database.db
    .selectFrom('inbound_events')
    .select(['platform', 'event_id', 'kind'])
    .where('platform', '=', 'teams')
    .orderBy('id')
    .execute();
}

beforeAll(async () => {
  teams = await startTeamsTestApp();
});
afterAll(async () => {
  await teams?.close();
});

describe('POST /api/messages with Bot Framework authentication', () => {
  it('records a personal message signed by the Bot Framework and answers 200', async () => {
    const activity = fixture('personal-message', teams.connector);
    const response = await teams.send(activity);
    expect(response.status).toBe(200);
    expect(await inboundRows()).toContainEqual({ platform: 'teams', event_id: activity.id, kind: 'message' });
  });

  it('records a redelivered activity once', async () => {
    const activity = fixture('channel-mention-reply', teams.connector);
    activity.id = `dup-${Date.now()}`;
    expect((await teams.send(activity)).status).toBe(200);
    expect((await teams.send(activity)).status).toBe(200);
    const rows = (await inboundRows()).filter((row) => row.event_id === activity.id);
    expect(rows).toEqual([{ platform: 'teams', event_id: activity.id, kind: 'message' }]);
  });

  it('records the bot being added to a team as an installed event', async () => {
    const activity = fixture('bot-added-to-team', teams.connector);
    expect((await teams.send(activity)).status).toBe(200);
    expect(await inboundRows()).toContainEqual({
      platform: 'teams',
      event_id: activity.id,
      kind: 'installed',
    });
  });

  it('records an Action.Execute invoke and, with no card of ours to refresh, answers with a message', async () => {
    const activity = fixture('action-execute-claim', teams.connector);
    const response = await teams.send(activity);
    expect(response).toEqual({
      status: 200,
      body: {
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: expect.any(String),
      },
    });
    expect(await inboundRows()).toContainEqual({ platform: 'teams', event_id: activity.id, kind: 'action' });
  });

  it('answers "File IT ticket" by closing the dialog and recording a ticket reaction', async () => {
    const activity = fixture('message-action-file-ticket', teams.connector);
    expect(await teams.send(activity)).toEqual({ status: 200, body: {} });
    expect(await inboundRows()).toContainEqual({
      platform: 'teams',
      event_id: activity.id,
      kind: 'reaction',
    });
  });

  it('answers an unsupported activity with 200 and records nothing', async () => {
    const before = (await inboundRows()).length;
    const typing = {
      ...fixture('personal-message', teams.connector),
      type: 'typing',
      id: `typing-${Date.now()}`,
    };
    expect((await teams.send(typing)).status).toBe(200);
    expect(await inboundRows()).toHaveLength(before);
  });

  it.each([
    ['no type', (a: Record<string, any>) => ({ ...a, type: undefined })],
    ['a type that is a number', (a: Record<string, any>) => ({ ...a, type: 3 })],
    ['"conversation": null', (a: Record<string, any>) => ({ ...a, conversation: null })],
    ['"from": null', (a: Record<string, any>) => ({ ...a, from: null })],
    ['a conversation id that is a number', (a: Record<string, any>) => ({ ...a, conversation: { id: 7 } })],
    ['an id that is an object', (a: Record<string, any>) => ({ ...a, id: { value: 'x' } })],
    ['entities that are not a list', (a: Record<string, any>) => ({ ...a, entities: { type: 'mention' } })],
    ['attachments that are not a list', (a: Record<string, any>) => ({ ...a, attachments: 'file' })],
    ['text that is a number', (a: Record<string, any>) => ({ ...a, text: 42 })],
    ['a list instead of an activity', () => [1, 2]],
  ])('answers an activity with %s with 400 malformed_activity and stores nothing', async (_case, spoil) => {
    const before = (await inboundRows()).length;
    const activity = fixture('personal-message', teams.connector);
    activity.id = `malformed-${Math.random()}`;
    const response = await teams.send(spoil(activity));
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'malformed_activity' });
    expect(await inboundRows()).toHaveLength(before);
  });

  it.each([
    ['no Authorization header', () => null],
    ['a malformed header', () => 'Bearer not-a-jwt'],
    [
      'a token signed by an unknown key',
      () => `Bearer ${teams.connector.channelToken(APP_ID, { key: strangerKey() })}`,
    ],
    ['a token for another bot', () => `Bearer ${teams.connector.channelToken('another-app-id')}`],
    [
      'a token from another issuer',
      () => `Bearer ${teams.connector.channelToken(APP_ID, { issuer: 'https://evil.example' })}`,
    ],
    ['an expired token', () => `Bearer ${teams.connector.channelToken(APP_ID, { expiresIn: -3600 })}`],
    [
      'a token for another service URL',
      () => `Bearer ${teams.connector.channelToken(APP_ID, { serviceUrl: 'https://smba.example/' })}`,
    ],
  ])('rejects a request with %s as 401 and stores nothing', async (_case, authorization) => {
    const activity = fixture('personal-message', teams.connector);
    activity.id = `unauth-${Math.random()}`;
    const response = await teams.send(activity, authorization());
    expect(response.status).toBe(401);
    expect((await inboundRows()).filter((row) => row.event_id === activity.id)).toEqual([]);
  });
});

describe('Teams start-up checks', () => {
  const base: TeamsSettings = {
    MICROSOFT_APP_ID: '',
    MICROSOFT_APP_PASSWORD: '',
    MICROSOFT_APP_TYPE: 'MultiTenant',
    MICROSOFT_APP_TENANT_ID: '',
    NODE_ENV: 'production',
    localMode: true,
  };
  const accept = async (_event: ChatEvent) => ({ duplicate: false, id: 1 });

  it('refuses to start in production without MICROSOFT_APP_ID', () => {
    expect(() => mountTeams(Fastify(), { config: base, accept, log: silentLogger })).toThrow(
      /MICROSOFT_APP_ID/,
    );
  });

  it('refuses an empty app id outside local mode, and a single-tenant bot without its tenant', () => {
    expect(() =>
      mountTeams(Fastify(), {
        config: { ...base, NODE_ENV: 'development', localMode: false },
        accept,
        log: silentLogger,
      }),
    ).toThrow(/MICROSOFT_APP_ID/);
    expect(() =>
      mountTeams(Fastify(), {
        config: {
          ...base,
          MICROSOFT_APP_ID: APP_ID,
          MICROSOFT_APP_PASSWORD: 'x',
          MICROSOFT_APP_TYPE: 'SingleTenant',
        },
        accept,
        log: silentLogger,
      }),
    ).toThrow(/MICROSOFT_APP_TENANT_ID/);
  });

  it('accepts unauthenticated requests in local mode with a loud warning', async () => {
    const warnings: string[] = [];
    const log = {
      ...silentLogger,
      warn: (_obj: object | string, msg?: string) => void warnings.push(msg ?? ''),
      child: () => log,
    };
    const events: ChatEvent[] = [];
    const app = Fastify();
    mountTeams(app, {
      config: { ...base, NODE_ENV: 'development' },
      accept: async (event) => {
        events.push(event);
        return { duplicate: false, id: events.length };
      },
      log,
    });
    const activity = fixture('personal-message', teams.connector);
    const response = await app.inject({ method: 'POST', url: '/api/messages', payload: activity });
    expect(response.statusCode).toBe(200);
    expect(events.map((event) => event.kind)).toEqual(['message']);
    expect(warnings.join('\n')).toMatch(/authentication is DISABLED/);
    await app.close();
  });
});
