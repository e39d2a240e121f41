/**
 * One structured model call: cache look-up, the call within the message's time budget and the
 * provider's circuit breaker, zod validation, and a row in `llm_calls` for every call that went
 * out. Callers fall back to the local model on any failure.
 */
import { createHash } from 'node:crypto';
import type { AIMessage } from '@langchain/core/messages';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import type { Db } from '../../core/db.ts';
import {
  type LlmCallRecord,
  readLlmCache,
  recordLlmCall,
  writeLlmCache,
} from '../../core/kb/llm-call.repository.ts';
import type { Logger } from '../../core/logger.ts';
import { inSpan, type TraceSpan } from '../../core/tracing.ts';
import { type Breaker, type Budget, remainingMs, retryAfterMs } from './breaker.ts';
import { strictJsonSchema } from './json-schema.ts';
import type { AgentSettings, ModelHandle, StructuredMethod } from './model.ts';
import { quietLangChainNotices } from './quiet.ts';

export interface LlmDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  model?: ModelHandle | undefined;
  settings: Pick<AgentSettings, 'LLM_TIMEOUT_MS' | 'LLM_CACHE_TTL_SECONDS'>;
  /** The provider's breaker; absent, every call goes out. */
  breaker?: Breaker | undefined;
  /** The message's time budget; absent, each call gets LLM_TIMEOUT_MS. */
  budget?: Budget | undefined;
  /** Told of every call as it is recorded (metrics); never its text. */
  onCall?: ((call: Omit<LlmCallRecord, 'input' | 'inputHash' | 'error'>) => void) | undefined;
}

export type StructuredFailure = 'error' | 'timeout' | 'invalid' | 'offline' | 'breaker-open' | 'no-budget';

export type StructuredResult<T> =
  | { ok: true; value: T; cached: boolean }
  | { ok: false; outcome: StructuredFailure; error: string };

export interface StructuredCall<S extends z.ZodType> {
  purpose: string;
  schema: S;
  /** The stable instructions: sent first, so a provider's prompt cache can reuse them. */
  system: string;
  /** Already redacted: this is what the model, the cache and `llm_calls` see. */
  user: string;
  /** Send the zod descriptions in the JSON schema; false when the system prompt explains the fields. */
  describeFields?: boolean;
}

// A call with less than this left of the message's budget would only time out: it is not made.
const MIN_CALL_MS = 100;

class LlmTimeout extends Error {}

/**
 * Calls the model for a schema-shaped answer; never throws. The span (OpenTelemetry's GenAI
 * attribute names) carries the model, the token counts and the outcome, never the prompt.
 */
export async function callStructured<S extends z.ZodType>(
  deps: LlmDeps,
  call: StructuredCall<S>,
): Promise<StructuredResult<z.infer<S>>> {
  const model = deps.model;
  if (!model) return { ok: false, outcome: 'offline', error: 'offline: no model configured' };
  return inSpan(
    `chat ${model.name}`,
    {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': model.name,
      'helpdesk.llm.purpose': call.purpose,
    },
    async (span) => {
      const result = await callModel(deps, call, model, span);
      span.set(
        result.ok
          ? { 'helpdesk.llm.outcome': result.cached ? 'cached' : 'ok', 'helpdesk.llm.cached': result.cached }
          : { 'helpdesk.llm.outcome': result.outcome },
      );
      return result;
    },
    { kind: 'client' },
  );
}

/** The cache key: the same question in other case or spacing is the same question. */
function cacheKey(purpose: string, model: string, system: string, user: string): string {
  const normalised = user.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(`${purpose}\n${model}\n${system}\n${normalised}`).digest('hex');
}

async function callModel<S extends z.ZodType>(
  deps: LlmDeps,
  call: StructuredCall<S>,
  model: ModelHandle,
  span: TraceSpan,
): Promise<StructuredResult<z.infer<S>>> {
  const inputHash = cacheKey(call.purpose, model.name, call.system, call.user);
  const log = deps.log.child({ purpose: call.purpose, model: model.name });
  type Tokens = Pick<LlmCallRecord, 'promptTokens' | 'completionTokens' | 'totalTokens'>;
  const record = (
    outcome: 'ok' | 'error' | 'timeout' | 'invalid' | 'cached',
    latencyMs: number,
    extra: Tokens & { error?: string } = {},
  ) => {
    const { error: _error, ...tokens } = extra;
    deps.onCall?.({ model: model.name, purpose: call.purpose, latencyMs, outcome, ...tokens });
    return recordLlmCall(
      deps.db,
      { model: model.name, purpose: call.purpose, latencyMs, outcome, inputHash, input: call.user, ...extra },
      deps.clock.now(),
    ).catch((error) => log.warn({ err: error }, 'could not record llm call'));
  };
  const fail = (outcome: StructuredFailure, error: string): StructuredResult<z.infer<S>> => {
    log.warn({ outcome, error }, 'model call failed; using the local model');
    return { ok: false, outcome, error };
  };

  const cached = await readLlmCache(
    deps.db,
    inputHash,
    deps.settings.LLM_CACHE_TTL_SECONDS,
    deps.clock.now(),
  ).catch(() => undefined);
  if (cached !== undefined) {
    const parsed = call.schema.safeParse(cached);
    if (parsed.success) {
      await record('cached', 0);
      return { ok: true, value: parsed.data, cached: true };
    }
  }

  // Nothing goes out when the message has no time left or the provider's breaker is open.
  const timeoutMs = Math.min(
    deps.settings.LLM_TIMEOUT_MS,
    deps.budget ? remainingMs(deps.budget) : deps.settings.LLM_TIMEOUT_MS,
  );
  if (timeoutMs < MIN_CALL_MS)
    return fail('no-budget', `no-budget: ${timeoutMs} ms left of this message's budget`);
  const gate = deps.breaker?.check() ?? { allow: true as const, probe: false };
  if (!gate.allow) {
    return fail('breaker-open', `breaker-open: not calling until ${new Date(gate.until).toISOString()}`);
  }
  span.set({ 'helpdesk.llm.probe': gate.probe });

  quietLangChainNotices();
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    const runnable = bindStructured(model, call);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new LlmTimeout(`timeout: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    const message = (await Promise.race([
      runnable.invoke(messagesFor(model.method, call), { signal: controller.signal }),
      timeout,
    ])) as AIMessage;
    const latency = performance.now() - started;
    deps.breaker?.succeeded();
    const usage = message.usage_metadata;
    const tokens: Tokens = {
      promptTokens: usage?.input_tokens ?? null,
      completionTokens: usage?.output_tokens ?? null,
      totalTokens: usage?.total_tokens ?? null,
    };
    span.set({
      'gen_ai.usage.input_tokens': usage?.input_tokens,
      'gen_ai.usage.output_tokens': usage?.output_tokens,
      'helpdesk.llm.latency_ms': Math.round(latency),
    });
    // The schema is the contract whatever the method: parse here, always. Tokens were spent either way.
    const answer = answerOf(message);
    const parsed = answer === undefined ? undefined : call.schema.safeParse(answer);
    if (!parsed?.success) {
      const error = parsed ? `invalid: ${zodSummary(parsed.error)}` : 'invalid: the answer is not JSON';
      await record('invalid', latency, { ...tokens, error });
      return fail('invalid', error);
    }
    await record('ok', latency, tokens);
    await writeLlmCache(
      deps.db,
      { key: inputHash, purpose: call.purpose, model: model.name, response: parsed.data },
      deps.clock.now(),
    ).catch((error) => log.warn({ err: error }, 'could not write llm cache'));
    return { ok: true, value: parsed.data, cached: false };
  } catch (error) {
    const latency = performance.now() - started;
    const message = errorText(error);
    const outcome = message.startsWith('timeout:') ? 'timeout' : 'error';
    deps.breaker?.failed(retryAfterMs(error));
    await record(outcome, latency, { error: message });
    return fail(outcome, message);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** The model with the request options of its structured-output method. */
function bindStructured(model: ModelHandle, call: StructuredCall<z.ZodType>) {
  const name = call.purpose.replace(/[^a-zA-Z0-9_-]/g, '_');
  const schema = strictJsonSchema(call.schema, { descriptions: call.describeFields ?? true });
  const chat = model.chat as unknown as { withConfig(options: Record<string, unknown>): ChatRunnable };
  if (model.method === 'functionCalling') {
    return chat.withConfig({
      tools: [{ type: 'function', function: { name, parameters: schema } }],
      tool_choice: { type: 'function', function: { name } },
    });
  }
  if (model.method === 'jsonMode') return chat.withConfig({ response_format: { type: 'json_object' } });
  // The SDK parses json_schema answers itself and throws on bad JSON, losing the usage; parse leniently
  // (a non-enumerable hook, so it is not sent) and let zod decide below.
  const responseFormat = { type: 'json_schema', json_schema: { name, strict: true, schema } };
  Object.defineProperty(responseFormat, '$parseRaw', { value: parseLenient, enumerable: false });
  return chat.withConfig({ response_format: responseFormat });
}

interface ChatRunnable {
  invoke(messages: unknown[], options: { signal: AbortSignal }): Promise<unknown>;
}

function messagesFor(method: StructuredMethod, call: StructuredCall<z.ZodType>) {
  // JSON mode carries no schema: it goes into the (stable) system prompt, which must say "JSON".
  const system =
    method === 'jsonMode'
      ? `${call.system}\n\nReply with one JSON object only, matching this JSON schema:\n${JSON.stringify(
          strictJsonSchema(call.schema, { descriptions: call.describeFields ?? true }),
        )}`
      : call.system;
  return [new SystemMessage(system), new HumanMessage(call.user)];
}

/** The answer's JSON: the forced tool call's arguments, or the content (JSON, fenced JSON, or JSON inside prose). */
function answerOf(message: AIMessage): unknown {
  const tool = message.tool_calls?.[0];
  if (tool) return tool.args;
  const invalid = message.invalid_tool_calls?.[0];
  if (invalid) return parseLenient(invalid.args ?? '') ?? undefined;
  const content =
    typeof message.content === 'string'
      ? message.content
      : message.content
          .map((part) => (typeof part === 'string' ? part : 'text' in part ? String(part.text) : ''))
          .join('');
  return parseLenient(content) ?? undefined;
}

function parseLenient(text: string): unknown {
  const attempts = [text.trim(), /```(?:json)?\s*([\s\S]*?)```/i.exec(text)?.[1]?.trim()];
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start >= 0 && end > start) attempts.push(text.slice(start, end + 1));
  for (const attempt of attempts) {
    if (!attempt) continue;
    try {
      return JSON.parse(attempt);
    } catch {}
  }
  return null;
}

function zodSummary(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Every failure as `<kind>: <detail>`: `timeout: …`, `http 429: …`, `network: …`, `error: …`.
 * Redacted text is all a provider ever saw, so its own message may be kept (shortened).
 */
function errorText(error: unknown): string {
  if (error instanceof LlmTimeout) return error.message;
  const e = error as {
    name?: string;
    message?: string;
    status?: number;
    code?: string;
    error?: { message?: string };
    cause?: { code?: string; message?: string };
  };
  const text = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || /timed? ?out/i.test(e?.message ?? ''))
    return `timeout: ${text(e?.message) || 'the request timed out'}`;
  if (typeof e?.status === 'number') {
    const detail = e.error?.message ?? e.message?.replace(/^\d{3}\s+/, '');
    return `http ${e.status}: ${text(detail) || 'no detail'}`;
  }
  if (
    e?.name === 'APIConnectionError' ||
    e?.cause?.code ||
    /connection|ECONN|fetch failed/i.test(e?.message ?? '')
  )
    return `network: ${text([e?.message, e?.cause?.code].filter(Boolean).join(' ')) || 'connection failed'}`;
  return `error: ${text(`${e?.name ?? 'Error'} ${e?.message ?? String(error)}`)}`;
}
