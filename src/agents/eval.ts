/** Scores triage on a labelled CSV: accuracy and macro-F1 per field, a category confusion matrix, latency. */
import { parse } from 'csv-parse/sync';
import type { Triage } from '../core/routing/router.ts';
import type { OverlapReport } from './local/training-overlap.ts';

export const EVAL_FIELDS = ['category', 'priority', 'intent', 'self_service', 'language'] as const;
export type EvalField = (typeof EVAL_FIELDS)[number];

export interface LabelledRow {
  id: string;
  text: string;
  labels: Partial<Record<EvalField, string>>;
}

export interface FieldScore {
  accuracy: number;
  macro_f1: number;
  n: number;
}

export interface EvalReport {
  n: number;
  fields: Partial<Record<EvalField, FieldScore>>;
  confusion: { labels: string[]; matrix: number[][] } | null;
  latency_ms: { p50: number; p95: number };
  llm_calls: number;
  /** Which model produced the labels scored: rows triaged by the language model and by the local one. */
  sources: { llm: number; local: number };
  /** Rows where a language model was configured but the local model answered instead. */
  fallbacks: number;
  /** Rows of the file that the local model's training set nearly repeats (set by the CLI). */
  training_overlap?: OverlapReport | undefined;
}

/**
 * Reads `id,text` plus any labelled fields; extra columns are ignored. A file without the `id` and
 * `text` columns, or without a row of text, is refused (scores over nothing would look like a result).
 */
export function parseLabelledCsv(content: string): LabelledRow[] {
  let header: string[] = [];
  const records = parse(content, {
    columns: (names: string[]) => (header = names),
    skip_empty_lines: true,
    trim: true,
  }) as Record<string, string>[];
  const missing = ['id', 'text'].filter((column) => !header.includes(column));
  if (missing.length > 0) {
    const found = header.length ? `found ${header.join(',')}` : 'the file is empty';
    throw new Error(
      `expected a header with the columns id,text (and any of ${EVAL_FIELDS.join(',')}); missing ${missing.join(',')}, ${found}`,
    );
  }
  const rows = records
    .filter((r) => typeof r.text === 'string' && r.text.length > 0)
    .map((r, i) => {
      const labels: Partial<Record<EvalField, string>> = {};
      for (const field of EVAL_FIELDS) {
        const value = r[field];
        if (value !== undefined && value !== '') labels[field] = normalise(field, value);
      }
      return { id: r.id || String(i + 1), text: r.text!, labels };
    });
  if (rows.length === 0) throw new Error('no rows with text to evaluate');
  return rows;
}

function normalise(field: EvalField, value: string): string {
  const v = value.trim().toLowerCase();
  if (field === 'self_service') return ['yes', 'true', '1', 'y'].includes(v) ? 'yes' : 'no';
  if (field === 'priority') return v.toUpperCase();
  return v;
}

/** The predicted value of a field in the same vocabulary as the CSV. */
export function predictedValue(triage: Triage, field: EvalField): string {
  if (field === 'self_service') return triage.self_service ? 'yes' : 'no';
  return String(triage[field]);
}

/** Runs `triage` over every row (sequentially, so latency is per call) and scores it. */
export async function evaluate(
  rows: LabelledRow[],
  triage: (text: string) => Promise<Triage & { source?: 'llm' | 'local' }>,
  opts: {
    llmCalls?: () => Promise<number> | number;
    onProgress?: (done: number) => void;
    /** A language model is configured: every row the local model answered is a fallback. */
    online?: boolean;
  } = {},
): Promise<EvalReport> {
  const sources = { llm: 0, local: 0 };
  const pairs: Record<EvalField, Array<[string, string]>> = {
    category: [],
    priority: [],
    intent: [],
    self_service: [],
    language: [],
  };
  const latencies: number[] = [];
  const before = opts.llmCalls ? await opts.llmCalls() : 0;
  for (const [i, row] of rows.entries()) {
    const started = performance.now();
    const result = await triage(row.text);
    latencies.push(performance.now() - started);
    sources[result.source ?? 'local'] += 1;
    for (const field of EVAL_FIELDS) {
      const expected = row.labels[field];
      if (expected !== undefined) pairs[field].push([expected, predictedValue(result, field)]);
    }
    opts.onProgress?.(i + 1);
  }
  const fields: Partial<Record<EvalField, FieldScore>> = {};
  for (const field of EVAL_FIELDS) {
    if (pairs[field].length > 0) fields[field] = score(pairs[field]);
  }
  return {
    n: rows.length,
    fields,
    confusion: pairs.category.length > 0 ? confusion(pairs.category) : null,
    latency_ms: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95) },
    llm_calls: opts.llmCalls ? (await opts.llmCalls()) - before : 0,
    sources,
    fallbacks: opts.online ? sources.local : 0,
  };
}

export function score(pairs: Array<[string, string]>): FieldScore {
  const labels = [...new Set(pairs.map(([expected]) => expected))];
  const correct = pairs.filter(([e, p]) => e === p).length;
  // Macro-F1 over the labels present in the reference, so unused predictions still cost precision.
  const f1s = labels.map((label) => {
    const tp = pairs.filter(([e, p]) => e === label && p === label).length;
    const fp = pairs.filter(([e, p]) => e !== label && p === label).length;
    const fn = pairs.filter(([e, p]) => e === label && p !== label).length;
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  });
  return {
    accuracy: round(correct / pairs.length),
    macro_f1: round(f1s.reduce((a, b) => a + b, 0) / Math.max(1, f1s.length)),
    n: pairs.length,
  };
}

function confusion(pairs: Array<[string, string]>): { labels: string[]; matrix: number[][] } {
  const labels = [...new Set(pairs.flat())].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  for (const [e, p] of pairs) matrix[index.get(e)!]![index.get(p)!]! += 1;
  return { labels, matrix };
}

function percentile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!, 2);
}

function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The human-readable report; `--json` prints `toJsonLine` as the last line instead. */
export function formatReport(report: EvalReport): string {
  const lines = [`n = ${report.n}`];
  for (const [field, s] of Object.entries(report.fields)) {
    lines.push(
      `${field.padEnd(13)} accuracy ${s.accuracy.toFixed(3)}  macro-F1 ${s.macro_f1.toFixed(3)}  (n=${s.n})`,
    );
  }
  if (report.confusion) {
    const { labels, matrix } = report.confusion;
    lines.push('', 'category confusion (rows = expected, columns = predicted)');
    lines.push(['', ...labels].map((l) => l.slice(0, 8).padStart(9)).join(''));
    matrix.forEach((row, i) => {
      lines.push([labels[i]!, ...row.map(String)].map((c) => c.slice(0, 8).padStart(9)).join(''));
    });
  }
  lines.push(
    '',
    `latency p50 ${report.latency_ms.p50} ms, p95 ${report.latency_ms.p95} ms; LLM calls ${report.llm_calls}`,
    `scores from: ${sourceLine(report)}`,
  );
  if (report.training_overlap) {
    const o = report.training_overlap;
    lines.push(
      `training overlap: ${o.rows} of ${report.n} rows nearly repeat one of ${o.examples} training examples` +
        (o.rows > 0 ? ' (scores on those rows flatter the local model)' : ''),
    );
  }
  return lines.join('\n');
}

function sourceLine(report: EvalReport): string {
  const { llm, local } = report.sources;
  if (llm === 0 && report.fallbacks === 0)
    return `the local model on all ${local} rows (no language model configured)`;
  const parts = [`the language model on ${llm} of ${report.n} rows`];
  if (local > 0)
    parts.push(`the local model on ${local} (fallbacks: the language model failed or did not answer)`);
  return parts.join(', ');
}

export function toJsonLine(report: EvalReport): string {
  const out: Record<string, unknown> = { n: report.n };
  for (const [field, s] of Object.entries(report.fields))
    out[field] = { accuracy: s.accuracy, macro_f1: s.macro_f1 };
  out.latency_ms = report.latency_ms;
  out.llm_calls = report.llm_calls;
  out.source = report.sources;
  out.fallbacks = report.fallbacks;
  if (report.training_overlap) out.training_overlap = report.training_overlap.rows;
  return JSON.stringify(out);
}
