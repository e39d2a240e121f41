/**
 * The local triage model's training examples: `data/<source>.jsonl`, one labelled example a line,
 * read once at start-up. Where each source comes from is described in `data/README.md`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { triageSchema } from '../triage-schema.ts';

/** The sources in training order; each is one batch of examples written for this project. */
export const TRAINING_SOURCES = ['seed', 'workplace', 'mail', 'terse'] as const;
export type TrainingSource = (typeof TRAINING_SOURCES)[number];

/** One line: the text and its triage labels, nothing else. */
const exampleSchema = z.strictObject({
  text: z
    .string()
    .min(1)
    .refine((text) => text.trim() === text, 'has leading or trailing whitespace'),
  ...triageSchema.pick({ category: true, priority: true, intent: true, self_service: true }).shape,
});

export type TrainingExample = z.infer<typeof exampleSchema>;

/** Parses JSONL text; a bad line is a bug in the data, so it throws naming the file and line. */
export function parseTrainingLines(jsonl: string, file: string): TrainingExample[] {
  const examples: TrainingExample[] = [];
  jsonl.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new Error(`bad training line ${where}: ${(err as Error).message}`);
    }
    const parsed = exampleSchema.safeParse(value);
    if (!parsed.success) {
      const why = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`);
      throw new Error(`bad training line ${where}: ${why.join('; ')}`);
    }
    examples.push(parsed.data);
  });
  return examples;
}

/** Reads one source from `data/`, next to this module both in src/ and in a build's dist/. */
export function loadTrainingSource(source: TrainingSource): TrainingExample[] {
  const url = new URL(`./data/${source}.jsonl`, import.meta.url);
  const file = fileURLToPath(url);
  return parseTrainingLines(readFileSync(file, 'utf8'), file);
}

/** Every source's examples, for measures that compare sources (bench/triage-cv.ts). */
export const TRAINING_SETS: Readonly<Record<TrainingSource, readonly TrainingExample[]>> = Object.fromEntries(
  TRAINING_SOURCES.map((source) => [source, loadTrainingSource(source)]),
) as Record<TrainingSource, TrainingExample[]>;

export const TRAINING_EXAMPLES: TrainingExample[] = TRAINING_SOURCES.flatMap(
  (source) => TRAINING_SETS[source],
);
