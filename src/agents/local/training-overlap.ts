/**
 * How much of an evaluation file the local model has effectively seen: rows with a near-duplicate
 * among the training examples. A score measured on such rows flatters the model, so `helpdesk eval`
 * reports the count beside the scores.
 */

const WORD = /[a-z0-9]+/g;

function wordsOf(text: string): Set<string> {
  return new Set((text.toLowerCase().match(WORD) ?? []).filter((w) => w.length > 2));
}

/**
 * Similarity of a training text to an evaluated text: the share of the training text's words found
 * in the row, capped by three times their Jaccard index so that one long row cannot "contain" every
 * short example.
 */
export function overlapScore(training: Set<string>, row: Set<string>): number {
  if (training.size === 0 || row.size === 0) return 0;
  let shared = 0;
  for (const w of training) if (row.has(w)) shared++;
  const containment = shared / training.size;
  const jaccard = shared / (training.size + row.size - shared);
  return Math.min(containment, 3 * jaccard);
}

export interface OverlapReport {
  /** Evaluated rows with at least one training example at or above the threshold. */
  rows: number;
  /** Training examples at or above the threshold for some evaluated row. */
  examples: number;
  threshold: number;
}

/** Counts near-duplicates between training texts and evaluated texts (0.5 flags paraphrases of a row). */
export function trainingOverlap(
  trainingTexts: readonly string[],
  evaluatedTexts: readonly string[],
  threshold = 0.5,
): OverlapReport {
  const training = trainingTexts.map(wordsOf);
  const evaluated = evaluatedTexts.map(wordsOf);
  const flaggedExamples = new Set<number>();
  let rows = 0;
  for (const row of evaluated) {
    let hit = false;
    training.forEach((example, i) => {
      if (overlapScore(example, row) >= threshold) {
        flaggedExamples.add(i);
        hit = true;
      }
    });
    if (hit) rows++;
  }
  return { rows, examples: flaggedExamples.size, threshold };
}
