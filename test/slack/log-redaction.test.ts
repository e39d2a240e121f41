/**
 * What the Slack SDKs log, with our logger at debug: the real Socket Mode client (which logs every
 * raw envelope) and the real WebClient (which logs request bodies and results), against the fakes.
 * No message text, e-mail or name may reach a log line at any level.
 */
import fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountSlack, type SlackMount } from '../../src/bots/slack/app.ts';
import { createSlackNotifier } from '../../src/bots/slack/notifier.ts';
import { OMITTED } from '../../src/bots/slack/slack-logger.ts';
import type { ChatEvent } from '../../src/core/chat/chat.ts';
import type { Logger } from '../../src/core/logger.ts';
import { messageEvent } from './builders.ts';
import { type FakeSlack, startFakeSlack } from './fake-slack.ts';
import { type FakeSocketMode, startFakeSocketMode } from './fake-socket-mode.ts';
import { people } from './support.ts';

const SECRET_TEXT = 'my new password is Hunter2-Winter! and my phone is +44 7700 900123';

interface Entry {
  level: string;
  line: string;
}

/** Keeps every level, debug included, with its fields serialised as pino would write them. */
function capturingLogger(entries: Entry[], bindings: Record<string, unknown> = {}): Logger {
  const write = (level: string) => (obj: object | string, msg?: string) =>
    void entries.push({
      level,
      line: JSON.stringify(
        typeof obj === 'string' ? { ...bindings, msg: obj } : { ...bindings, ...obj, msg },
      ),
    });
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => capturingLogger(entries, { ...bindings, ...more }),
  };
}

const entries: Entry[] = [];
const accepted: ChatEvent[] = [];
let socket: FakeSocketMode;
let slack: FakeSlack;
let http: FastifyInstance;
let mount: SlackMount;

beforeAll(async () => {
  socket = await startFakeSocketMode();
  slack = await startFakeSlack({ socketModeUrl: () => socket.issueUrl() });
  slack.addUser(people.alice);
  http = fastify();
  mount = await mountSlack(http, {
    config: { botToken: 'xoxb-test-token', appToken: 'xapp-1-A0HELPDSK-1-test', apiUrl: slack.apiUrl },
    accept: async (event) => {
      accepted.push(event);
      return { duplicate: false, id: accepted.length };
    },
    log: capturingLogger(entries),
  });
  await socket.waitForConnections(1);
});
afterAll(async () => {
  await mount?.close();
  await http?.close();
  await socket?.close();
  await slack?.close();
});

const leaks = () =>
  entries.filter((e) =>
    [SECRET_TEXT, 'Hunter2', '7700 900123', people.alice.email, people.alice.displayName].some((s) =>
      e.line.includes(s),
    ),
  );

describe('Slack SDK logs at debug', () => {
  it('keep a Socket Mode envelope’s text out of the log, while the event itself goes through', async () => {
    const body = messageEvent({ user: people.alice.id, channel: 'D0ALICE', text: SECRET_TEXT });
    await socket.waitForAck(await socket.deliver({ type: 'events_api', payload: body }));
    expect(accepted.at(-1)).toMatchObject({ kind: 'message', text: SECRET_TEXT });
    const received = entries.filter((e) => e.line.includes('Received a message on the WebSocket'));
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((e) => e.level === 'debug' && e.line.includes(OMITTED))).toBe(true);
    expect(leaks()).toEqual([]);
  });

  it('keep Web API request bodies and results (users.info e-mails) out of the log', async () => {
    const notifier = createSlackNotifier({
      config: { botToken: 'xoxb-test-token', apiUrl: slack.apiUrl },
      log: capturingLogger(entries),
    });
    await notifier.deliver({
      op: 'post',
      target: { platform: 'slack', tenant: 'T0HELPDSK', channel: 'D0ALICE', isDirect: true },
      message: { text: SECRET_TEXT },
    });
    const found = await notifier.lookupUser({
      platform: 'slack',
      tenant: 'T0HELPDSK',
      userId: people.alice.id,
    });
    expect(found.email).toBe(people.alice.email);
    expect(slack.callsTo('chat.postMessage').at(-1)?.args.text).toBe(SECRET_TEXT);
    expect(entries.some((e) => e.level === 'debug' && e.line.includes(`http request body: ${OMITTED}`))).toBe(
      true,
    );
    expect(
      entries.some((e) => e.level === 'debug' && e.line.includes(`http request result: ${OMITTED}`)),
    ).toBe(true);
    expect(leaks()).toEqual([]);
  });
});
