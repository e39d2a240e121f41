/**
 * The model path against real SDK requests to the fake OpenAI-compatible server (issue 14): the
 * structured-output method each model supports (json_schema, function calling, JSON mode, plain
 * text), Azure OpenAI's URL shape, failures recorded with their real text and token usage, the
 * circuit breaker with Retry-After, the per-message time budget, one call per message, and the
 * shape of the request body.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startBudget } from '../../src/agents/llm/breaker.ts';
import {
  type AgentSettings,
  createModel,
  defaultAgentSettings,
  structuredMethodFor,
} from '../../src/agents/llm/model.ts';
import { callStructured } from '../../src/agents/llm/structured.ts';
import { createAgentRouter } from '../../src/agents/router.ts';
import { routedTriageSchema } from '../../src/agents/triage-schema.ts';
import { systemClock } from '../../src/app/clock.ts';
import type { Db } from '../../src/core/db.ts';
import { ensureDemoKnowledgeBase } from '../../src/core/kb/kb.demo.ts';
import type { RouteInput } from '../../src/core/routing/router.ts';
import { type FakeOpenAI, startFakeOpenAI } from './fake-openai.ts';
import { capturedLogger, createAgentsDatabase } from './support.ts';

// Installed before the first model call, so the router's notice filter wraps this spy.
const warn = vi.spyOn(console, 'warn');

let db: Db;
let close: () => Promise<void>;
let fake: FakeOpenAI;

beforeAll(async () => {
  ({ db, close } = await createAgentsDatabase());
  await ensureDemoKnowledgeBase(db, new Date());
  fake = await startFakeOpenAI();
});

afterAll(async () => {
  await fake?.close();
  await close?.();
});

beforeEach(() => {
  fake.mode = 'ok';
  fake.retryAfterSeconds = 30;
  fake.requests.length = 0;
});

let unique = 0;
/** A text no earlier test sent, so no cached answer stands in for the model. */
const fresh = (text: string) => `${text} (case ${++unique})`;

const input = (text: string, extra: Partial<RouteInput> = {}): RouteInput => ({
  text,
  requesterId: 0,
  conversationId: 0,
  state: null,
  ...extra,
});

const router = (settings: Partial<AgentSettings> = {}) =>
  createAgentRouter({
    db,
    clock: systemClock,
    log: capturedLogger().log,
    settings: {
      OPENAI_API_KEY: 'sk-test-not-a-real-key',
      OPENAI_BASE_URL: fake.baseURL,
      LLM_TIMEOUT_MS: 3000,
      ...settings,
    },
  });

const chatRequests = () => fake.requests.filter((r) => r.path.split('?')[0]!.endsWith('/chat/completions'));
const lastCall = async () =>
  db.selectFrom('llm_calls').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();

describe('the structured-output method follows the model (item 1)', () => {
  it('chooses json_schema, function calling or JSON mode by model name', () => {
    expect(structuredMethodFor('gpt-4o-mini')).toBe('jsonSchema');
    expect(structuredMethodFor('gpt-4.1-nano')).toBe('jsonSchema');
    for (const name of [
      'gpt-4',
      'gpt-4-0613',
      'gpt-4-turbo',
      'gpt-4-turbo-2024-04-09',
      'gpt-3.5-turbo',
      'gpt-35-turbo',
    ])
      expect(structuredMethodFor(name)).toBe('functionCalling');
    expect(structuredMethodFor('llama3.1:8b')).toBe('jsonMode');
  });

  it.each(['gpt-4', 'gpt-4-turbo-preview', 'gpt-3.5-turbo'])(
    'OPENAI_MODEL=%s triages with a forced tool call, answered by the model',
    async (model) => {
      const triage = await router({ OPENAI_MODEL: model }).triage(fresh('my laptop screen is cracked'));
      expect(triage.source).toBe('llm');
      const [request] = chatRequests();
      expect(request!.body.model).toBe(model);
      expect(request!.body.response_format).toBeUndefined();
      expect(request!.body.tools[0].function.name).toBe('triage');
      expect(request!.body.tool_choice).toEqual({ type: 'function', function: { name: 'triage' } });
      expect(await lastCall()).toMatchObject({ purpose: 'triage', outcome: 'ok', model });
    },
  );

  it('an unknown model on an OpenAI-compatible server gets JSON mode with the schema in the prompt', async () => {
    const triage = await router({ OPENAI_MODEL: 'llama3.1:8b' }).triage(fresh('printer jams on floor 3'));
    expect(triage.source).toBe('llm');
    const [request] = chatRequests();
    expect(request!.body.response_format).toEqual({ type: 'json_object' });
    expect(request!.body.tools).toBeUndefined();
    expect(request!.body.messages[0].content).toContain('"additionalProperties":false');
  });

  it('a server that answers in plain text (JSON in a code fence) is still understood', async () => {
    fake.mode = 'plain-text';
    const triage = await router({ OPENAI_MODEL: 'llama3.1:8b' }).triage(fresh('vpn drops every hour'));
    expect(triage).toMatchObject({ source: 'llm', category: 'network' });
  });

  it('on Azure OpenAI the deployment is the model: the request goes to its URL with api-key and is answered', async () => {
    fake.azureKey = 'azure-test-key';
    try {
      for (const [deployment, method] of [
        ['helpdesk-prod', 'tools'],
        ['gpt-4o-mini', 'json_schema'],
      ] as const) {
        fake.requests.length = 0;
        const azure = createAgentRouter({
          db,
          clock: systemClock,
          log: capturedLogger().log,
          settings: {
            AZURE_OPENAI_API_KEY: 'azure-test-key',
            AZURE_OPENAI_ENDPOINT: fake.azureEndpoint,
            AZURE_OPENAI_DEPLOYMENT: deployment,
            AZURE_OPENAI_API_VERSION: '2024-10-21',
            LLM_TIMEOUT_MS: 3000,
          },
        });
        const triage = await azure.triage(fresh('my laptop screen is cracked'));
        expect(triage.source).toBe('llm');
        const [request] = chatRequests();
        expect(request!.path).toBe(
          `/openai/deployments/${deployment}/chat/completions?api-version=2024-10-21`,
        );
        expect(request!.headers['api-key']).toBe('azure-test-key');
        if (method === 'tools') expect(request!.body.tools[0].function.name).toBe('triage');
        else expect(request!.body.response_format.type).toBe('json_schema');
        expect(await lastCall()).toMatchObject({ model: `azure:${deployment}`, outcome: 'ok' });
      }
    } finally {
      fake.azureKey = undefined;
    }
  });
});

describe('failures are recorded as they were (items 1 and 8)', () => {
  it.each([
    ['error', 'error', /^http 500: upstream exploded/],
    ['rate-limited', 'error', /^http 429: Rate limit reached/],
    ['invalid', 'invalid', /^invalid: category: /],
    ['broken-json', 'invalid', /^invalid: the answer is not JSON/],
    ['garbage', 'invalid', /^invalid: the answer is not JSON/],
  ] as const)(
    '%s: outcome %s with the real error text, and the local model answers',
    async (mode, outcome, text) => {
      fake.mode = mode;
      const triage = await router().triage(fresh('my laptop screen is cracked'));
      expect(triage.source).toBe('local');
      const call = await lastCall();
      expect(call).toMatchObject({ purpose: 'triage', outcome });
      expect(call.error).toMatch(text);
      // An answer that came back cost tokens even when it was unusable.
      if (outcome === 'invalid') expect(call).toMatchObject({ prompt_tokens: 120, total_tokens: 150 });
    },
  );

  it('broken tool-call JSON is an invalid answer with its tokens, and LangChain prints no upgrade notice', async () => {
    fake.mode = 'broken-json';
    const triage = await router({ OPENAI_MODEL: 'gpt-4' }).triage(fresh('mouse double-clicks'));
    expect(triage.source).toBe('local');
    expect(await lastCall()).toMatchObject({ outcome: 'invalid', prompt_tokens: 120 });
    const printed = warn.mock.calls.map((args) => String(args[0]));
    expect(printed.some((line) => line.includes('New LangChain packages'))).toBe(false);
  });
});

describe('a failing provider costs one budget per message at most (item 5)', () => {
  it('a hanging server: the message gets the local answer, the call is recorded as a timeout', async () => {
    fake.mode = 'timeout';
    const decision = await router({ LLM_TIMEOUT_MS: 500 }).route(input('how do I set up VPN on my Mac?'));
    expect(decision.kind).toBe('answer');
    if (decision.kind === 'answer') expect(decision.answer).not.toMatch(/^LLM/);
    expect(chatRequests()).toHaveLength(1);
    expect(await lastCall()).toMatchObject({ outcome: 'timeout' });
    expect((await lastCall()).error).toMatch(/^timeout: /);
  });

  it('a call is not made when the message has no budget left', async () => {
    const before = fake.requests.length;
    const model = createModel({
      ...defaultAgentSettings,
      OPENAI_API_KEY: 'sk-test-not-a-real-key',
      OPENAI_BASE_URL: fake.baseURL,
    });
    const spent = await callStructured(
      {
        db,
        clock: systemClock,
        log: capturedLogger().log,
        model,
        settings: { LLM_TIMEOUT_MS: 3000, LLM_CACHE_TTL_SECONDS: 60 },
        budget: startBudget(0),
      },
      { purpose: 'triage', schema: routedTriageSchema, system: 's', user: fresh('u') },
    );
    expect(spent).toMatchObject({ ok: false, outcome: 'no-budget' });
    expect(fake.requests.length).toBe(before);
  });

  it('after LLM_BREAKER_FAILURES failures the breaker stops calling; the local model answers at once', async () => {
    fake.mode = 'error';
    const r = router({ LLM_BREAKER_FAILURES: 3, LLM_BREAKER_COOLDOWN_MS: 60_000 });
    for (let i = 0; i < 3; i++) await r.triage(fresh('my laptop screen is cracked'));
    expect(chatRequests()).toHaveLength(3);
    fake.mode = 'ok';
    const triage = await r.triage(fresh('my laptop screen is cracked'));
    expect(triage.source).toBe('local');
    expect(chatRequests()).toHaveLength(3);
  });

  it('a 429 with Retry-After opens the breaker at once until then; then one probe goes through and closes it', async () => {
    fake.mode = 'rate-limited';
    // Long enough that the next message (its knowledge search included) comes while it is open.
    fake.retryAfterSeconds = 3;
    const r = router({ LLM_BREAKER_FAILURES: 5, LLM_BREAKER_COOLDOWN_MS: 600_000 });
    await r.triage(fresh('my laptop screen is cracked'));
    expect(chatRequests()).toHaveLength(1);
    fake.mode = 'ok';
    expect((await r.triage(fresh('my laptop screen is cracked'))).source).toBe('local');
    expect(chatRequests()).toHaveLength(1);
    // Retry-After (3 s) wins over the 10-minute cooldown: poll until the probe is let through.
    await vi.waitFor(
      async () => expect((await r.triage(fresh('my laptop screen is cracked'))).source).toBe('llm'),
      { timeout: 15_000, interval: 250 },
    );
    expect(chatRequests()).toHaveLength(2);
  });
});

describe('one call per message (item 6)', () => {
  it('a KB question is triaged and answered in one call; "still not working" reuses the stored triage', async () => {
    const r = router();
    const { id: conversationId } = await db
      .insertInto('conversations')
      .values({
        platform: 'console',
        tenant: 'local',
        channel: 'dm-one-call',
        ref: JSON.stringify({ platform: 'console' }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const question = 'how do I set up the VPN on my Mac?';
    const first = await r.route(input(question, { conversationId }));
    expect(first.kind).toBe('answer');
    expect(chatRequests()).toHaveLength(1);
    // Core keeps `{ answer: ... }` in the conversation state after posting an answer card.
    const state = { answer: { inboundEventId: '1', articles: [] } };
    const second = await r.route(input('still not working', { conversationId, state }));
    expect(second.kind).toBe('file');
    expect(chatRequests()).toHaveLength(1);
    if (second.kind !== 'file' || first.kind !== 'answer') return;
    expect(second.triage).toEqual(first.triage);
    expect(second.summary).toContain(question);
  });

  it('a request no article fits costs one triage call', async () => {
    await router().route(input(fresh('my laptop screen is cracked')));
    expect(chatRequests().map((r) => r.body.response_format?.json_schema?.name)).toEqual(['triage']);
  });

  it('the cache key ignores case and spacing', async () => {
    const r = router();
    const text = fresh('my monitor flickers when docked');
    await r.triage(text);
    await r.triage(`  ${text.toUpperCase().replace(/ /g, '   ')} `);
    expect(chatRequests()).toHaveLength(1);
    expect(await lastCall()).toMatchObject({ outcome: 'cached' });
  });
});

describe('the request body (item 9)', () => {
  it('sends a trimmed strict schema, max_tokens and the stable prompt first', async () => {
    const r = router({ LLM_MAX_TOKENS: 512 });
    await r.triage(fresh('keyboard missing keys'));
    await r.triage(fresh('outlook crashes on start'));
    const [a, b] = chatRequests();
    const body = a!.body;
    expect(body.max_tokens).toBe(512);
    const { schema, strict } = body.response_format.json_schema;
    expect(strict).toBe(true);
    const text = JSON.stringify(schema);
    expect(text).not.toContain('$schema');
    expect(text).not.toContain('"title":"triage"');
    expect(text).not.toMatch(/"(minLength|maxLength|minimum|maximum|description)"/);
    expect(schema.additionalProperties).toBe(false);
    expect([...schema.required].sort()).toEqual(Object.keys(schema.properties).sort());
    expect(schema.properties.clarifying_question.type).toEqual(['string', 'null']);
    // The labels are described once, in the system prompt, which comes first and is the same for both.
    expect(body.messages[0].role).toBe('system');
    expect(body.messages[0].content).toContain('category: access');
    expect(b!.body.messages[0]).toEqual(body.messages[0]);
    expect(text.length).toBeLessThan(900);
  });
});
