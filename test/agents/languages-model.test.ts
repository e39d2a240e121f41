/**
 * With a model configured, a knowledge answer is written in the asker's language (issue 17, item 6):
 * the prompt tells the model so, and the card around the model's answer is in that language too.
 * Through the real @langchain/openai client against the fake OpenAI-compatible server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentRouter } from '../../src/agents/router.ts';
import { ensureDemoKnowledgeBase } from '../../src/core/kb/kb.demo.ts';
import type { Router } from '../../src/core/routing/router.ts';
import { message, startTestApp, type TestApp } from '../support/app.ts';
import { type ChatRequest, defaultReply, type FakeOpenAI, startFakeOpenAI } from './fake-openai.ts';

let app: TestApp;
let agents: Router | undefined;
let fake: FakeOpenAI;

const GERMAN_ANSWER = 'Installieren Sie „GlobalProtect VPN“ über Self Service und melden Sie sich an.';

beforeAll(async () => {
  fake = await startFakeOpenAI();
  // A model that answers German requests in German, as told.
  fake.reply = (name: string, request: ChatRequest) => {
    const reply = defaultReply(name, request) as Record<string, any>;
    if (name !== 'triage_answer') return reply;
    return { ...reply, language: 'de', kb: { ...reply.kb, answer: GERMAN_ANSWER } };
  };
  app = await startTestApp({ http: false, router: { route: (input) => agents!.route(input) } });
  agents = createAgentRouter({
    db: app.deps.db,
    clock: app.deps.clock,
    log: app.deps.log,
    settings: {
      OPENAI_API_KEY: 'sk-test-not-a-real-key',
      OPENAI_BASE_URL: fake.baseURL,
      LLM_TIMEOUT_MS: 5000,
    },
  });
  await ensureDemoKnowledgeBase(app.deps.db, new Date());
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
});

describe('a knowledge answer from a model, in the asker’s language', () => {
  it('tells the model to answer in the request’s language, and frames its German answer in German', async () => {
    const before = app.output().length;
    await app.accept(message('lea', 'Mac VPN einrichten?'));
    await app.idle();
    const chat = fake.requests.filter((r) => r.path.endsWith('/chat/completions'));
    expect(chat).toHaveLength(1);
    const system = chat[0]!.body.messages.find((m: { role: string }) => m.role === 'system')?.content;
    expect(system).toContain('the answer written in the language of the request');
    expect(JSON.stringify(chat[0]!.body.messages)).toContain('Request: Mac VPN einrichten?');
    const said = app.output().slice(before);
    expect(said).toContain('Das könnte helfen');
    expect(said).toContain(GERMAN_ANSWER);
    expect(said).toContain('Quellen: Set up the VPN on a Mac');
    expect(said).toContain('Problem gelöst');
    expect(said).toContain('Ich brauche noch Hilfe');
  });
});
