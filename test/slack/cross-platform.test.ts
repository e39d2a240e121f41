/**
 * One helpdesk with both Slack and Teams mounted on its server (real Bolt app and real Bot
 * Framework adapter, against the fake Slack Web API and the fake Bot Connector, on Postgres and
 * Redis): the same e-mail in both directories is one person, whichever platform they write from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountSlack, type SlackMount } from '../../src/bots/slack/app.ts';
import { createSlackNotifier } from '../../src/bots/slack/notifier.ts';
import { mountTeams } from '../../src/bots/teams/app.ts';
import type { TeamsSettings } from '../../src/bots/teams/config.ts';
import { createTeamsNotifier } from '../../src/bots/teams/notifier.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { fileEverythingRouter } from '../../src/core/routing/router.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { dropSchema, testConfig } from '../support/db.ts';
import { type FakeConnector, startFakeConnector } from '../teams/fake-connector.ts';
import { APP_ID, fixture as teamsFixture } from '../teams/harness.ts';
import { messageEvent, nextTs, slashCommand } from './builders.ts';
import { type FakeSlack, startFakeSlack } from './fake-slack.ts';
import { postToSlackEvents, SIGNING_SECRET } from './support.ts';

const EMAIL = 'dana@example.com';
/** Dana in the Slack directory (users.info) ... */
const SLACK_DANA = { id: 'U0DANA', name: 'dana', displayName: 'Dana', email: EMAIL };
const SLACK_DM = 'D0DANA';
/** ... and in the Teams roster of her personal chat with the bot (the fixture's sender). */
const TEAMS_DANA = {
  id: '29:1dana-example-teams-user-id',
  name: 'Dana Fischer',
  aadObjectId: '0b0e6a4e-1111-4a4a-9c9c-0d0a0a0a0001',
  email: EMAIL,
  userPrincipalName: EMAIL,
};
const TEAMS_CHAT = 'a:1dana-personal-chat-with-helpdesk';

let app: TestApp;
let slack: FakeSlack;
let connector: FakeConnector;
let slackMount: SlackMount;
let url: string;
let seq = 0;

async function fromSlack(request: Parameters<typeof postToSlackEvents>[1]) {
  expect((await postToSlackEvents(url, request)).status).toBe(200);
  await app.idle(20_000);
}

async function fromTeams(text: string) {
  const activity = teamsFixture('personal-message', connector);
  activity.id = `dana-${++seq}-${Date.now()}`;
  activity.text = text;
  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${connector.channelToken(APP_ID)}`,
    },
    body: JSON.stringify(activity),
  });
  expect(response.status).toBe(200);
  await app.idle(20_000);
}

const teamsTexts = () =>
  connector
    .posted()
    .filter((call) => call.conversationId === TEAMS_CHAT)
    .map((call) => String(call.body?.text ?? JSON.stringify(call.body)));

beforeAll(async () => {
  slack = await startFakeSlack();
  slack.addUser(SLACK_DANA);
  connector = await startFakeConnector();
  connector.addMember(TEAMS_CHAT, TEAMS_DANA);

  const config = testConfig({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'test-password-never-sent' });
  const teamsSettings = config as unknown as TeamsSettings;
  const auth = { openIdMetadataUrl: connector.openIdMetadataUrl, tokenIssuer: connector.tokenIssuer };
  const connectorToken = { getToken: async () => 'connector-token' };
  const slackNotifier = createSlackNotifier({
    config: { botToken: 'xoxb-test-token', apiUrl: slack.apiUrl },
    log: silentLogger,
  });
  const teamsNotifier = createTeamsNotifier({
    config: teamsSettings,
    log: silentLogger,
    auth,
    connectorToken,
  });
  // Identity is under test, not triage: every request becomes a ticket.
  app = await startTestApp({
    config,
    notifiers: [slackNotifier, teamsNotifier],
    router: fileEverythingRouter,
  });
  if (!app.http) throw new Error('the test app has no HTTP server');
  slackMount = await mountSlack(app.http, {
    config: { botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl },
    accept: app.accept,
    log: silentLogger,
    notifier: slackNotifier,
  });
  mountTeams(app.http, {
    config: teamsSettings,
    accept: app.accept,
    log: silentLogger,
    auth,
    connectorToken,
  });
  url = await app.listen();
});
afterAll(async () => {
  await slackMount?.close();
  await app?.close();
  if (app) await dropSchema(app.config.DATABASE_SCHEMA);
  await connector?.close();
  await slack?.close();
});

describe('one person on Slack and Teams (same e-mail)', () => {
  it('files a ticket from each platform for the same person', async () => {
    await fromSlack({
      json: messageEvent({
        user: SLACK_DANA.id,
        channel: SLACK_DM,
        text: "My laptop won't connect to the VPN since this morning",
      }),
    });
    await fromTeams('The printer on floor 3 prints blank pages');
    const rows = await app.database.db
      .selectFrom('tickets')
      .innerJoin('people', 'people.id', 'tickets.requester_id')
      .select(['tickets.number', 'tickets.requester_id', 'people.email'])
      .orderBy('tickets.number')
      .execute();
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((row) => row.requester_id)).size).toBe(1);
    expect(rows[0]?.email).toBe(EMAIL);
    const identities = await app.database.db
      .selectFrom('identities')
      .select(['platform', 'user_id', 'person_id'])
      .orderBy('platform')
      .execute();
    expect(identities).toEqual([
      { platform: 'slack', user_id: SLACK_DANA.id, person_id: rows[0]?.requester_id },
      { platform: 'teams', user_id: TEAMS_DANA.aadObjectId, person_id: rows[0]?.requester_id },
    ]);
  });

  it('lists both tickets for `helpdesk mine`, asked on Slack or on Teams', async () => {
    const numbers = (
      await app.database.db.selectFrom('tickets').select('number').orderBy('number').execute()
    ).map((row) => `#${row.number} `);

    const mine = slashCommand({
      user: SLACK_DANA.id,
      channel: SLACK_DM,
      text: 'mine',
      responseUrl: slack.responseUrl(`mine-${nextTs()}`),
    });
    await fromSlack({ form: mine.form });
    const onSlack = String(slack.callsTo('response_url').at(-1)?.args.text);
    expect(onSlack).toMatch(/^Your tickets:/);
    for (const number of numbers) expect(onSlack).toContain(number);

    await fromTeams('helpdesk mine');
    const onTeams = teamsTexts().find((text) => text.includes('Your tickets:')) ?? '';
    for (const number of numbers) expect(onTeams).toContain(number);
  });
});
