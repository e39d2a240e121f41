import { describe, expect, it } from 'vitest';
import type { Logger } from '../../core/logger.ts';
import { OMITTED, scrubSdkLine, toSlackLogger } from './slack-logger.ts';

function recorder() {
  const lines: Array<{ level: string; msg: string }> = [];
  const write = (level: string) => (obj: object | string, msg?: string) =>
    void lines.push({ level, msg: typeof obj === 'string' ? obj : (msg ?? '') });
  const log: Logger = {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: () => log,
  };
  return { log, lines };
}

const SECRET_TEXT = 'my password is hunter2, mail me at alice@acme.test';
const envelope = JSON.stringify({
  envelope_id: 'e-1',
  type: 'events_api',
  payload: { event: { type: 'message', text: SECRET_TEXT, user: 'U0ALICE' } },
});

describe('the Slack SDK logger bridge', () => {
  // The lines below are the SDKs' own templates (@slack/socket-mode, @slack/web-api, @slack/bolt).
  it.each([
    ['Socket Mode, every raw envelope', `Received a message on the WebSocket: ${envelope}`],
    [
      'Socket Mode, an ack with a response',
      `Calling ack() - type: events_api, envelope_id: e-1, data: ${envelope}`,
    ],
    ['Socket Mode, an outgoing frame', `Sending a WebSocket message: ${envelope}`],
    [
      'Socket Mode, a frame that is not JSON',
      `Unable to parse an incoming WebSocket message (will ignore): SyntaxError: bad, ${SECRET_TEXT}`,
    ],
    ['the WebClient, a request body', `http request body: {"channel":"D0ALICE","text":"${SECRET_TEXT}"}`],
    [
      'the WebClient, an API result',
      `http request result: {"ok":true,"user":{"profile":{"email":"alice@acme.test"}}}`,
    ],
    ['Bolt developer mode, the whole body', envelope],
  ])('drops the payload from %s at debug and keeps the wording', (_what, sdkLine) => {
    const { log, lines } = recorder();
    toSlackLogger(log).debug(sdkLine);
    expect(lines).toHaveLength(1);
    const [entry] = lines;
    expect(entry?.level).toBe('debug');
    expect(entry?.msg).toContain(OMITTED);
    expect(entry?.msg).not.toMatch(/hunter2|alice@acme\.test|U0ALICE/);
    expect(entry?.msg).toBe(scrubSdkLine(sdkLine));
  });

  it('keeps ordinary lines as they are, at their own level', () => {
    const { log, lines } = recorder();
    const slack = toSlackLogger(log);
    slack.debug("apiCall('chat.postMessage') start");
    slack.info('Now connected to Slack');
    slack.warn('API Call failed due to rate limiting. Will retry in 1 seconds.');
    slack.error(new Error('An API error occurred: channel_not_found'));
    expect(lines).toEqual([
      { level: 'debug', msg: "apiCall('chat.postMessage') start" },
      { level: 'info', msg: 'Now connected to Slack' },
      { level: 'warn', msg: 'API Call failed due to rate limiting. Will retry in 1 seconds.' },
      { level: 'error', msg: 'An API error occurred: channel_not_found' },
    ]);
  });

  it('never serialises an object it is handed', () => {
    const { log, lines } = recorder();
    toSlackLogger(log).debug('body', { event: { text: SECRET_TEXT } });
    expect(lines[0]?.msg).toBe(`body ${OMITTED}`);
  });
});
