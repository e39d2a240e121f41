/**
 * The agent router: a LangChain runnable guard → triage → route that fills core's `Router` port.
 * Models see redacted text only; any model failure falls back to the local models.
 */

import { RunnableLambda, RunnableSequence } from '@langchain/core/runnables';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db.ts';
import type { CoreDeps } from '../core/deps.ts';
import { messagesFor } from '../core/i18n/i18n.ts';
import type { SearchHit } from '../core/kb/kb.repository.ts';
import { answersInConversation, recordAnswer } from '../core/kb/kb-answer.repository.ts';
import type { Logger } from '../core/logger.ts';
import type { RouteDecision, RouteInput, Router, Triage } from '../core/routing/router.ts';
import type { TicketHook } from '../core/tickets/ticket.hooks.ts';
import { inSpan } from '../core/tracing.ts';
import { redact } from './guard.ts';
import {
  answerFromKnowledge,
  answerFromModel,
  articlesContext,
  type Candidate,
  findCandidates,
  type KnowledgeResult,
} from './knowledge.ts';
import { knowledgeMiningHook } from './knowledge-mining.ts';
import { createBreaker, startBudget } from './llm/breaker.ts';
import { type AgentSettings, createModel, defaultAgentSettings, type ModelHandle } from './llm/model.ts';
import { callStructured, type LlmDeps } from './llm/structured.ts';
import { isChatter, LOW_CONFIDENCE, type LocalTriageModel, trainLocalTriage } from './local/local-triage.ts';
import { languageOf } from './local/nlp.ts';
import { type RoutedTriage, routedTriageSchema, triageAnswerSchema, triageSchema } from './triage-schema.ts';
import { isVagueRequest } from './vague.ts';

export interface AgentRouterDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  settings?: Partial<AgentSettings> | undefined;
  /** Overrides the model built from settings; `null` forces the offline path. */
  model?: ModelHandle | null | undefined;
  local?: LocalTriageModel | undefined;
  /** Told of every model call (the app counts them in /metrics). */
  onLlmCall?: LlmDeps['onCall'];
}

export interface AgentRouter extends Router {
  /** Drafts KB articles from resolved tickets with this router's model (or the template): a ticket hook for core. */
  readonly knowledgeMining: TicketHook<CoreDeps>;
  /** Triage alone (redacted first), as `helpdesk eval` scores it. */
  triage(text: string): Promise<Triage & { source: 'llm' | 'local' }>;
  readonly online: boolean;
  /** Trains the local models now rather than on the first message (a worker does at start). */
  warm(): void;
}

/** Conversation state while a clarifying question is in flight (kept by core in `conversations.state`). */
interface ClarifyState {
  agent: 'clarify';
  original: string;
  redacted: string;
}

interface Step {
  input: RouteInput;
  redacted: string;
  pending: ClarifyState | null;
  /** Per message: the time budget shared by all of its model calls. */
  llm: LlmDeps;
  text?: string;
  triage?: RoutedTriage & { source: 'llm' | 'local' };
  /** The retrieved articles, when a model triaged and answered from them in one call. */
  candidates?: Candidate[];
  /** That call's answer over `candidates`. */
  knowledge?: KnowledgeResult;
  /** The triage stored with the answer a "still not working" follows up. */
  followUp?: { question: string; triage: Triage };
}

const TRIAGE_SYSTEM = `You triage IT helpdesk requests. Labels:
category: access (accounts, passwords, MFA, SSO, permissions, access requests), hardware (laptops, monitors, docks, peripherals, phones), software (installing, licensing, crashing apps other than mail, OS, file sync), network (VPN, Wi-Fi, internet, DNS, network drives, remote systems), email (mail clients, mailboxes, shared mailboxes, distribution lists, calendars, meeting rooms), printing (printers, scanners, queues, toner, jams), security (phishing, malware, suspicious activity, lost or stolen devices, data exposure), other (HR, finance, facilities, monitoring alerts, or unclear).
priority: P1 outage or security incident affecting many; P2 one person fully blocked or a deadline today; P3 degraded with a workaround; P4 how-to or no urgency.
intent: question (how do I / where is), incident (something that worked is broken), request (something new).
self_service: true when a knowledge-base article could let the person fix it alone.
language: ISO 639-1 code. sentiment: negative, neutral or positive. title: a short clean ticket title (max 10 words).
confidence: 0..1. chatter: true for greetings, thanks or acknowledgements. vague: true only when nothing actionable is said; then clarifying_question asks ONE question, else null.
Placeholders like [email] or [password] replace redacted data.`;

// Appended to the triage prompt when articles were retrieved: one call triages and answers (the shared prefix stays cacheable).
const TRIAGE_AND_ANSWER_SYSTEM = `${TRIAGE_SYSTEM}
kb: whether the knowledge-base articles given answer the request. kb.fits: true only if they do. kb.answer: the answer written in the language of the request (the language label), even when the articles are in another language, using ONLY facts and steps from the articles (no links or steps they do not contain); empty when fits is false. kb.article_ids: the ids of the articles used.`;

const NOT_FIXED =
  /\b(?:didn'?t|did not|doesn'?t|does not|still|not (?:working|fixed|help\w*)|no luck|same (?:problem|issue|error)|nope)\b/i;

/**
 * Builds the router. The local model is trained once (about a second), on first use or `warm()`:
 * a process that only files knowledge drafts (the knowledge-mining hook) never trains it.
 */
export function createAgentRouter(deps: AgentRouterDeps): AgentRouter {
  const settings: AgentSettings = { ...defaultAgentSettings, ...deps.settings };
  const model = deps.model === undefined ? createModel(settings) : (deps.model ?? undefined);
  let trained = deps.local;
  const local = {
    triage: (text: string) => {
      trained ??= trainLocalTriage();
      return trained.triage(text);
    },
  };
  // One breaker for this router's provider: every message and the knowledge mining share it.
  const breaker = model
    ? createBreaker({
        failures: settings.LLM_BREAKER_FAILURES ?? defaultAgentSettings.LLM_BREAKER_FAILURES,
        cooldownMs: settings.LLM_BREAKER_COOLDOWN_MS ?? defaultAgentSettings.LLM_BREAKER_COOLDOWN_MS,
      })
    : undefined;
  const llm: LlmDeps = {
    db: deps.db,
    clock: deps.clock,
    log: deps.log,
    model,
    settings,
    breaker,
    ...(deps.onLlmCall ? { onCall: deps.onLlmCall } : {}),
  };

  async function triageRedacted(
    redacted: string,
    calls: LlmDeps = { ...llm, budget: startBudget(settings.LLM_TIMEOUT_MS) },
  ): Promise<RoutedTriage & { source: 'llm' | 'local' }> {
    if (model) {
      const result = await callStructured(calls, {
        purpose: 'triage',
        schema: routedTriageSchema,
        system: TRIAGE_SYSTEM,
        user: redacted,
        describeFields: false,
      });
      if (result.ok) return { ...result.value, source: 'llm' };
    }
    return { ...local.triage(redacted), source: 'local' };
  }

  /**
   * With a model: retrieve first, and when articles fit, triage and answer from them in one call
   * (one call per message); otherwise triage alone. On failure the local models do both.
   */
  async function triageAndRetrieve(step: Step, text: string): Promise<Step> {
    if (!model) return { ...step, text, triage: { ...local.triage(text), source: 'local' } };
    const candidates = await findCandidates(step.llm, text).catch((error) => {
      deps.log.warn({ err: error }, 'knowledge search failed');
      return [] as Candidate[];
    });
    if (candidates.length === 0)
      return { ...step, text, candidates, triage: await triageRedacted(text, step.llm) };
    const result = await callStructured(step.llm, {
      purpose: 'triage_answer',
      schema: triageAnswerSchema,
      system: TRIAGE_AND_ANSWER_SYSTEM,
      user: `Articles:\n${articlesContext(candidates)}\n\nRequest: ${text}`,
      describeFields: false,
    });
    if (!result.ok) return { ...step, text, candidates, triage: { ...local.triage(text), source: 'local' } };
    const { kb, ...labels } = result.value;
    return {
      ...step,
      text,
      candidates,
      triage: { ...labels, source: 'llm' },
      knowledge: answerFromModel(candidates, kb),
    };
  }

  // Spans name the step and its labels (counts, categories, outcomes), never the text.
  const guard = RunnableLambda.from((input: RouteInput) =>
    inSpan('agent guard', {}, async (span): Promise<Step> => {
      const redacted = redact(input.text);
      span.set({ 'helpdesk.guard.redactions': redacted.found.length });
      // One budget per message, shared by all of its model calls.
      const llmForMessage = { ...llm, budget: startBudget(settings.LLM_TIMEOUT_MS) };
      return { input, redacted: redacted.text, pending: clarifyStateOf(input.state), llm: llmForMessage };
    }),
  ).withConfig({ runName: 'guard' });

  const triage = RunnableLambda.from((step: Step) =>
    inSpan('agent triage', {}, async (span): Promise<Step> => {
      // "ok" or "thanks" after a clarifying question is no answer to it: chatter, and the state ends.
      if (isChatter(step.redacted)) {
        span.set({ 'helpdesk.triage.chatter': true });
        return step;
      }
      // "Still not working" after an answer: the triage stored with that answer is reused, no model call.
      const previous = await previousAnswer(deps.db, step.input);
      if (previous && NOT_FIXED.test(step.redacted)) {
        const stored = triageSchema.safeParse(previous.triage);
        const labels = stored.success ? stored.data : triageSchema.parse(local.triage(previous.question));
        span.set({ 'helpdesk.triage.source': 'stored' });
        return { ...step, followUp: { question: previous.question, triage: labels } };
      }
      // The answer to the question goes first: it usually names the thing, so it makes the better title.
      const text = step.pending ? `${step.redacted}\n${step.pending.redacted}` : step.redacted;
      const next = await triageAndRetrieve(step, text);
      const labels = next.triage!;
      span.set({
        'helpdesk.triage.source': labels.source,
        'helpdesk.triage.category': labels.category,
        'helpdesk.triage.priority': labels.priority,
        'helpdesk.triage.intent': labels.intent,
        'helpdesk.triage.chatter': labels.chatter,
      });
      return next;
    }),
  ).withConfig({ runName: 'triage' });

  const route = RunnableLambda.from(async (step: Step): Promise<RouteDecision> => {
    const { input, pending } = step;
    if (step.followUp) {
      return {
        kind: 'file',
        triage: step.followUp.triage,
        summary: `${step.followUp.question}\n\n${input.text}\n\n(The suggested article did not help.)`,
      };
    }
    const t = step.triage;
    if (!t || (t.chatter && !pending)) return chatterDecision(step.redacted, t?.language);
    // A local guess below LOW_CONFIDENCE is not acted on: the request goes to `other` for a person to sort.
    const unsure = t.source === 'local' && t.confidence < LOW_CONFIDENCE;
    const labels: Triage = { ...triageSchema.parse(t), ...(unsure ? { category: 'other' as const } : {}) };
    const original = pending ? `${pending.original}\n\n${input.text}` : input.text;
    // The rule decides on its own; a language model's considered "vague" counts too, the local
    // classifiers' uncertainty does not (their `vague` is the same rule).
    if (!pending && (isVagueRequest(step.redacted) || (t.source === 'llm' && t.vague))) {
      const state: ClarifyState = { agent: 'clarify', original: input.text, redacted: step.redacted };
      const ask = t.clarifying_question ? undefined : ('more' as const);
      const question = t.clarifying_question ?? messagesFor(t.language).clarifyMore;
      return { kind: 'clarify', question, ask, language: t.language, state: { ...state } };
    }
    if (wantsKnowledge(labels)) {
      const knowledge = await inSpan('agent answer', {}, async (span) => {
        // The model already answered in the triage call, or failed there: no second call.
        const found =
          step.knowledge ??
          (await answerFromKnowledge(step.llm, step.text ?? step.redacted, {
            language: labels.language,
            useModel: false,
            ...(step.candidates ? { candidates: step.candidates } : {}),
          }));
        span.set(
          found.kind === 'answer'
            ? {
                'helpdesk.answer.outcome': 'answer',
                'helpdesk.answer.by': found.by,
                'helpdesk.answer.articles': found.articles.length,
              }
            : { 'helpdesk.answer.outcome': 'none' },
        );
        return found;
      });
      if (knowledge.kind === 'answer') {
        const answerId = await recordAnswer(
          deps.db,
          {
            conversationId: input.conversationId > 0 ? input.conversationId : null,
            requesterId: input.requesterId > 0 ? input.requesterId : null,
            question: original,
            answer: knowledge.answer,
            articleIds: knowledge.articles.map((a) => a.id),
            triage: labels as unknown as Record<string, unknown>,
          },
          deps.clock.now(),
        ).catch((error) => {
          deps.log.warn({ err: error }, 'could not record the answer');
          return undefined;
        });
        deps.log.debug(
          { decision: 'answer', by: knowledge.by, articles: knowledge.articles.map((a) => a.id) },
          'routed',
        );
        return {
          kind: 'answer',
          triage: labels,
          answer: knowledge.answer,
          articles: knowledge.articles,
          answerId,
        };
      }
      deps.log.debug({ decision: 'no answer', reason: knowledge.reason }, 'routed');
    }
    // No article fits, and the local model cannot place a short message (its calibrated confidence
    // is low): ask once what it is about rather than guess. A longer text is filed, under `other`
    // when the model abstains.
    if (!pending && unsure && wordCount(step.redacted) <= SHORT_MESSAGE_WORDS) {
      const state: ClarifyState = { agent: 'clarify', original: input.text, redacted: step.redacted };
      deps.log.debug({ decision: 'clarify', reason: 'low confidence', confidence: t.confidence }, 'routed');
      const question = messagesFor(t.language).clarifyUnsure;
      return { kind: 'clarify', question, ask: 'unsure', language: t.language, state: { ...state } };
    }
    deps.log.debug(
      { decision: 'file', category: labels.category, priority: labels.priority, by: t.source },
      'routed',
    );
    return { kind: 'file', triage: labels, summary: pending ? original : undefined };
  }).withConfig({ runName: 'route' });

  const chain = RunnableSequence.from([guard, triage, route]).withConfig({ runName: 'agent-router' });

  return {
    online: model !== undefined,
    warm() {
      trained ??= trainLocalTriage();
    },
    route: (input) =>
      inSpan('agent route', {}, async (span) => {
        const decision = await chain.invoke(input);
        span.set({ 'helpdesk.route.decision': decision.kind });
        return decision;
      }),
    knowledgeMining: knowledgeMiningHook({
      clock: deps.clock,
      log: deps.log,
      model,
      settings,
      breaker,
      ...(deps.onLlmCall ? { onCall: deps.onLlmCall } : {}),
    }),
    async triage(text) {
      const t = await triageRedacted(redact(text).text);
      return { ...triageSchema.parse(t), source: t.source };
    },
  };
}

/**
 * Every request may have an article that helps, whatever its intent: an answer costs the requester
 * nothing (the card's "I still need help" files the ticket). Only an outage (P1) and a security
 * incident go straight to people.
 */
export function wantsKnowledge(labels: Pick<Triage, 'priority' | 'category'>): boolean {
  return labels.priority !== 'P1' && labels.category !== 'security';
}

/** Messages of at most this many words are asked about when the local model is unsure of them. */
const SHORT_MESSAGE_WORDS = 8;

function wordCount(text: string): number {
  return text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
}

function clarifyStateOf(state: Record<string, unknown> | null): ClarifyState | null {
  if (state?.agent !== 'clarify') return null;
  if (typeof state.original !== 'string' || typeof state.redacted !== 'string') return null;
  return { agent: 'clarify', original: state.original, redacted: state.redacted };
}

/** The answer just given in this conversation, when core still holds it in the state. */
async function previousAnswer(db: Db, input: RouteInput) {
  if (!input.state || !('answer' in input.state) || input.conversationId <= 0) return undefined;
  const answers = await answersInConversation(db, input.conversationId);
  return answers.at(-1);
}

/** Thanks or a greeting, answered from the catalogue in the language they were said in. */
function chatterDecision(text: string, detected: string | undefined): RouteDecision {
  const thanks = THANKS.exec(text);
  const hello = thanks ? null : HELLO.exec(text);
  const word = (thanks ?? hello)?.[1]?.toLowerCase() ?? '';
  const language =
    CHATTER_LANGUAGE.find(([pattern]) => pattern.test(word))?.[1] ?? detected ?? languageOf(text);
  const m = messagesFor(language);
  if (thanks) return { kind: 'chatter', reply: m.chatterThanks, say: 'thanks', language };
  if (hello) return { kind: 'chatter', reply: m.chatterHello, say: 'hello', language };
  return { kind: 'chatter', reply: '👍', language };
}

const THANKS =
  /(?:^|[^\p{L}])(thanks?|thank you|thx|ty|cheers|danke|vielen dank|merci|gracias|obrigad[oa])(?:$|[^\p{L}])/iu;
const HELLO =
  /^\s*(hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening)|hallo|guten (?:morgen|tag)|bonjour|salut|hola|buenos d[ií]as|ol[áa]|bom dia)(?:$|[^\p{L}])/iu;
/** A word of thanks or greeting names its language better than a detector can in one word. */
const CHATTER_LANGUAGE: Array<[RegExp, string]> = [
  [/^(?:danke|vielen dank|hallo|guten (?:morgen|tag))$/, 'de'],
  [/^(?:merci|bonjour|salut)$/, 'fr'],
  [/^(?:gracias|hola|buenos d[ií]as)$/, 'es'],
  [/^(?:obrigad[oa]|ol[áa]|bom dia)$/, 'pt'],
];
