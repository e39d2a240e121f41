/**
 * One structured model call: cache look-up, the call with a timeout, zod validation, and a row in
 * `llm_calls` whatever happens. Callers fall back to the local model on any failure.
 */
import { createHash } from 'node:crypto';
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
import type { AgentSettings, ModelHandle } from './model.ts';

export interface LlmDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  model?: ModelHandle | undefined;
  settings: Pick<AgentSettings, 'LLM_TIMEOUT_MS' | 'LLM_CACHE_TTL_SECONDS'>;
  /** Told of every call as it is recorded (metrics); never its text. */
  onCall?: ((call: Omit<LlmCallRecord, 'input' | 'inputHash' | 'error'>) => void) | undefined;
}

export type StructuredResult<T> =
  | { ok: true; value: T; cached: boolean }
  | { ok: false; outcome: 'error' | 'timeout' | 'invalid' | 'offline'; error: string };

export interface StructuredCall<S extends z.ZodType> {
  purpose: string;
  schema: S;
  system: string;
  /** Already redacted: this is what the model, the cache and `llm_calls` see. */
  user: string;
  /** `jsonSchema` (response_format) or `functionCalling` (a forced tool call). */
  method?: 'jsonSchema' | 'functionCalling';
}

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
  if (!model) return { ok: false, outcome: 'offline', error: 'no model configured' };
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

async function callModel<S extends z.ZodType>(
  deps: LlmDeps,
  call: StructuredCall<S>,
  model: NonNullable<LlmDeps['model']>,
  span: TraceSpan,
): Promise<StructuredResult<z.infer<S>>> {
  const inputHash = createHash('sha256')
    .update(`${call.purpose}\n${model.name}\n${call.system}\n${call.user}`)
    .digest('hex');
  const log = deps.log.child({ purpose: call.purpose, model: model.name });
  const record = (
    outcome: 'ok' | 'error' | 'timeout' | 'invalid' | 'cached',
    latencyMs: number,
    extra: Pick<LlmCallRecord, 'promptTokens' | 'completionTokens' | 'totalTokens' | 'error'> = {},
  ) => {
    const { error: _error, ...tokens } = extra;
    deps.onCall?.({ model: model.name, purpose: call.purpose, latencyMs, outcome, ...tokens });
    return recordLlmCall(
      deps.db,
      { model: model.name, purpose: call.purpose, latencyMs, outcome, inputHash, input: call.user, ...extra },
      deps.clock.now(),
    ).catch((error) => log.warn({ err: error }, 'could not record llm call'));
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

  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    const runnable = (model.chat as any).withStructuredOutput(call.schema, {
      name: call.purpose.replace(/[^a-zA-Z0-9_-]/g, '_'),
      method: call.method ?? 'jsonSchema',
      includeRaw: true,
    });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new LlmTimeout(`no answer within ${deps.settings.LLM_TIMEOUT_MS} ms`));
      }, deps.settings.LLM_TIMEOUT_MS);
    });
    const output = (await Promise.race([
      runnable.invoke([new SystemMessage(call.system), new HumanMessage(call.user)], {
        signal: controller.signal,
      }),
      timeout,
    ])) as { raw?: { usage_metadata?: Record<string, number>; content?: unknown }; parsed?: unknown };
    const latency = performance.now() - started;
    const usage = output.raw?.usage_metadata ?? {};
    const tokens = {
      promptTokens: usage.input_tokens ?? null,
      completionTokens: usage.output_tokens ?? null,
      totalTokens: usage.total_tokens ?? null,
    };
    span.set({
      'gen_ai.usage.input_tokens': usage.input_tokens,
      'gen_ai.usage.output_tokens': usage.output_tokens,
      'helpdesk.llm.latency_ms': Math.round(latency),
    });
    // LangChain does not validate every path; the schema is the contract, so parse here, always.
    const parsed = call.schema.safeParse(output.parsed ?? parseContent(output.raw?.content));
    if (!parsed.success) {
      await record('invalid', latency, { ...tokens, error: parsed.error.message });
      log.warn({ outcome: 'invalid' }, 'model output failed validation; using the local model');
      return { ok: false, outcome: 'invalid', error: parsed.error.message };
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
    const name = String((error as Error)?.name ?? '');
    const isTimeout =
      error instanceof LlmTimeout || /timed? ?out|abort/i.test(String((error as Error)?.message));
    // LangChain's own parsers throw on unparseable or off-schema output before we get to validate it.
    const isInvalid = /OutputParser|ZodError|SyntaxError/.test(name);
    const outcome =
      error instanceof LlmTimeout ? 'timeout' : isInvalid ? 'invalid' : isTimeout ? 'timeout' : 'error';
    const message = errorMessage(error);
    await record(outcome, latency, { error: message });
    log.warn({ outcome, error: message }, 'model call failed; using the local model');
    return { ok: false, outcome, error: message };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

function parseContent(content: unknown): unknown {
  if (typeof content !== 'string') return undefined;
  try {
    return JSON.parse(content);
  } catch {
    return undefined;
  }
}

// Provider errors can echo the request; keep only the class and status, never the prompt.
function errorMessage(error: unknown): string {
  if (error instanceof LlmTimeout) return error.message;
  const e = error as { name?: string; status?: number; code?: string };
  return [e?.name ?? 'Error', e?.status, e?.code].filter((p) => p !== undefined && p !== null).join(' ');
}
