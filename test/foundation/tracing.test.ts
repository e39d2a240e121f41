/**
 * Tracing across processes: a signed Slack DM through `helpdesk serve` and a separate `helpdesk
 * worker`, both exporting to a local OTLP/HTTP receiver, makes one trace with the expected spans
 * and parents, and no message text, name or e-mail in any attribute.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSetting, triageChannelKey } from '../../src/core/settings/settings.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../agents/fake-openai.ts';
import { messageEvent } from '../slack/builders.ts';
import { type FakeSlack, startFakeSlack } from '../slack/fake-slack.ts';
import { ids } from '../slack/fixtures/index.ts';
import { postToSlackEvents, SIGNING_SECRET } from '../slack/support.ts';
import { eventually, killRunning } from '../support/cli.ts';
import { TEST_REDIS_URL } from '../support/db.ts';
import { prepareStack, type Stack, startServe, startWorker, stopGracefully } from '../support/processes.ts';

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface Span {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, string | number | boolean>;
}

/** An OTLP/HTTP receiver for JSON-encoded trace exports (`POST /v1/traces`). */
async function startReceiver() {
  const spans: Span[] = [];
  const contentTypes: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/traces') {
      res.writeHead(404).end();
      return;
    }
    contentTypes.push(String(req.headers['content-type']));
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    for (const resourceSpans of body.resourceSpans ?? []) {
      const service = resourceSpans.resource?.attributes?.find(
        (a: { key: string }) => a.key === 'service.name',
      )?.value?.stringValue;
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          const attributes: Span['attributes'] = {};
          for (const { key, value } of span.attributes ?? []) {
            const v = value as OtlpValue;
            attributes[key] =
              v.stringValue ??
              (v.intValue !== undefined ? Number(v.intValue) : undefined) ??
              v.boolValue ??
              v.doubleValue ??
              '';
          }
          spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId ?? '',
            name: span.name,
            kind: span.kind,
            attributes,
          });
        }
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    contentTypes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const TEXT = 'my laptop screen is cracked after the zebrafish meeting';

let receiver: Awaited<ReturnType<typeof startReceiver>>;
let slack: FakeSlack;
let openai: FakeOpenAI;
let stack: Stack;

beforeAll(async () => {
  receiver = await startReceiver();
  slack = await startFakeSlack();
  slack.addUser({
    id: ids.alice,
    name: 'alice',
    realName: 'Alice Quixote',
    email: 'alice.quixote@acme.test',
  });
  openai = await startFakeOpenAI();
  stack = await prepareStack({
    REDIS_URL: TEST_REDIS_URL,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    OPENAI_BASE_URL: openai.baseURL,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
  });
  await setSetting(
    stack.database.db,
    triageChannelKey('slack'),
    { platform: 'slack', tenant: ids.team, channel: ids.triage },
    null,
  );
}, 60_000);

afterAll(async () => {
  killRunning();
  await stack?.close();
  await slack?.close();
  await openai?.close();
  await receiver?.close();
});

describe('tracing', () => {
  it('a DM makes one trace across serve and worker: request, accept, job, routing, model call, transaction, deliveries', async () => {
    const worker = await startWorker(stack);
    const serve = await startServe(stack);
    const event = messageEvent({ user: ids.alice, channel: ids.aliceDm, text: TEXT });
    expect((await postToSlackEvents(serve.url, { json: event })).status).toBe(200);
    const posted = await eventually(() => {
      const posts = slack.callsTo('chat.postMessage');
      return (
        posts.some((c) => c.args.channel === ids.aliceDm) && posts.some((c) => c.args.channel === ids.triage)
      );
    }, 30_000);
    expect(posted).toBe(true);
    // SIGTERM flushes each process's buffered spans before it exits.
    expect((await stopGracefully(serve)).code).toBe(0);
    expect((await stopGracefully(worker)).code).toBe(0);

    expect(new Set(receiver.contentTypes)).toEqual(new Set(['application/json']));
    const root = receiver.spans.find((s) => s.name === 'POST /slack/events');
    expect(root).toMatchObject({ service: 'helpdesk-serve', parentSpanId: '', kind: 2 });
    const trace = receiver.spans.filter((s) => s.traceId === root!.traceId);
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const one = (name: string) => {
      const found = trace.filter((s) => s.name === name);
      expect(found, name).toHaveLength(1);
      return found[0]!;
    };
    const parentOf = (span: Span) => byId.get(span.parentSpanId)?.name;

    // Every span but the root hangs from a span of the same trace: one connected tree.
    for (const span of trace) if (span !== root) expect(byId.has(span.parentSpanId), span.name).toBe(true);
    expect(new Set(trace.map((s) => s.service))).toEqual(new Set(['helpdesk-serve', 'helpdesk-worker']));

    expect(root!.attributes['http.response.status_code']).toBe(200);
    const accept = one('inbox accept');
    expect(accept).toMatchObject({ service: 'helpdesk-serve' });
    expect(parentOf(accept)).toBe('POST /slack/events');
    expect(accept.attributes).toMatchObject({
      'helpdesk.platform': 'slack',
      'helpdesk.event.kind': 'message',
      'helpdesk.inbound_event.duplicate': false,
    });
    expect(parentOf(one('process-event publish'))).toBe('inbox accept');
    const job = one('process-event process');
    expect(job).toMatchObject({ service: 'helpdesk-worker', kind: 5 });
    expect(parentOf(job)).toBe('process-event publish');
    expect(parentOf(one('event prepare'))).toBe('process-event process');
    expect(parentOf(one('agent route'))).toBe('event prepare');
    expect(one('agent route').attributes['helpdesk.route.decision']).toBe('file');
    expect(parentOf(one('agent guard'))).toBe('agent route');
    const triage = one('agent triage');
    expect(parentOf(triage)).toBe('agent route');
    expect(triage.attributes).toMatchObject({
      'helpdesk.triage.source': 'llm',
      'helpdesk.triage.category': 'hardware',
    });
    const model = trace.find((s) => s.name.startsWith('chat '))!;
    expect(parentOf(model)).toBe('agent triage');
    expect(model.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 30,
      'helpdesk.llm.outcome': 'ok',
    });
    const transactions = trace.filter(
      (s) => s.name === 'db transaction' && parentOf(s) === 'process-event process',
    );
    expect(transactions).toHaveLength(1);
    const deliveries = trace.filter(
      (s) => s.name === 'outbox deliver' && s.attributes['helpdesk.delivery.outcome'] === 'sent',
    );
    expect(deliveries.length).toBeGreaterThanOrEqual(2);
    for (const delivery of deliveries) {
      expect(parentOf(delivery)).toBe('deliver process');
      expect(delivery.attributes).toMatchObject({
        'helpdesk.platform': 'slack',
        'helpdesk.outbox.op': 'post',
      });
    }
    expect(deliveries.map((d) => d.attributes['helpdesk.outbox.purpose'])).toContain('ticket-card');

    // Nothing a person wrote or is called reaches an attribute, in this trace or any other.
    const values = receiver.spans.flatMap((s) => Object.values(s.attributes).map(String));
    for (const secret of ['zebrafish', 'cracked', 'Quixote', 'alice.quixote', ids.alice])
      expect(
        values.filter((v) => v.includes(secret)),
        secret,
      ).toEqual([]);
  }, 150_000);
});
