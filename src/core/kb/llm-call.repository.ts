/** The record of every model call (`llm_calls`) and the short-lived answer cache (`llm_cache`). Redacted text only. */
import { sql } from 'kysely';
import { type DbOrTx, json } from '../db.ts';
import type { LlmOutcome } from './kb.table.ts';

export interface LlmCallRecord {
  model: string;
  purpose: string;
  promptTokens?: number | null | undefined;
  completionTokens?: number | null | undefined;
  totalTokens?: number | null | undefined;
  latencyMs: number;
  outcome: LlmOutcome;
  inputHash?: string | null | undefined;
  /** Must already be redacted; stored truncated. */
  input?: string | null | undefined;
  error?: string | null | undefined;
}

export async function recordLlmCall(db: DbOrTx, call: LlmCallRecord, now: Date): Promise<void> {
  await db
    .insertInto('llm_calls')
    .values({
      model: call.model,
      purpose: call.purpose,
      prompt_tokens: call.promptTokens ?? null,
      completion_tokens: call.completionTokens ?? null,
      total_tokens: call.totalTokens ?? null,
      latency_ms: Math.round(call.latencyMs),
      outcome: call.outcome,
      cached: call.outcome === 'cached',
      input_hash: call.inputHash ?? null,
      input: call.input ? call.input.slice(0, 2000) : null,
      error: call.error ? call.error.slice(0, 500) : null,
      created_at: now,
    })
    .execute();
}

export async function countLlmCalls(db: DbOrTx, opts: { includeCached?: boolean } = {}): Promise<number> {
  let query = db.selectFrom('llm_calls').select((eb) => eb.fn.countAll<number>().as('n'));
  if (!opts.includeCached) query = query.where('cached', '=', false);
  const row = await query.executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The error text of the latest failed call, if any. */
export async function lastLlmError(db: DbOrTx): Promise<string | undefined> {
  const row = await db
    .selectFrom('llm_calls')
    .select('error')
    .where('error', 'is not', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.error ?? undefined;
}

/** Deletes cache rows older than the cache's lifetime; they can never be served again. */
export async function pruneLlmCache(db: DbOrTx, ttlSeconds: number, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('llm_cache')
    .where('created_at', '<=', new Date(now.getTime() - ttlSeconds * 1000))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** A cached response younger than `ttlSeconds`, if any. */
export async function readLlmCache(db: DbOrTx, key: string, ttlSeconds: number, now: Date): Promise<unknown> {
  const since = new Date(now.getTime() - ttlSeconds * 1000);
  const row = await db
    .selectFrom('llm_cache')
    .select('response')
    .where('key', '=', key)
    .where('created_at', '>', since)
    .executeTakeFirst();
  return row?.response;
}

export async function writeLlmCache(
  db: DbOrTx,
  entry: { key: string; purpose: string; model: string; response: unknown },
  now: Date,
): Promise<void> {
  await db
    .insertInto('llm_cache')
    .values({ ...entry, response: json(entry.response), created_at: now })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({ response: sql`excluded.response`, created_at: sql`excluded.created_at` }),
    )
    .execute();
}
