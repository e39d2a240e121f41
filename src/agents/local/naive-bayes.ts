/** A small multinomial naive Bayes over binary features; trains in milliseconds on a few hundred examples. */

export interface Prediction<L extends string> {
  label: L;
  /** Normalised posterior of the winning label. */
  probability: number;
  scores: Record<L, number>;
}

export interface NaiveBayes<L extends string> {
  predict(features: string[]): Prediction<L>;
  labels: readonly L[];
}

export function trainNaiveBayes<L extends string>(
  examples: Array<{ features: string[]; label: L }>,
  opts: { alpha?: number; priorWeight?: number } = {},
): NaiveBayes<L> {
  const alpha = opts.alpha ?? 0.3;
  // Flattened priors: the training set's label mix is a choice of the writer, not a fact of the world.
  const priorWeight = opts.priorWeight ?? 0.5;
  const labels = [...new Set(examples.map((e) => e.label))] as L[];
  const vocabulary = new Set<string>();
  const counts = new Map<L, Map<string, number>>();
  const totals = new Map<L, number>();
  const docs = new Map<L, number>();
  for (const label of labels) {
    counts.set(label, new Map());
    totals.set(label, 0);
    docs.set(label, 0);
  }
  for (const { features, label } of examples) {
    const c = counts.get(label)!;
    docs.set(label, docs.get(label)! + 1);
    for (const f of features) {
      vocabulary.add(f);
      c.set(f, (c.get(f) ?? 0) + 1);
      totals.set(label, totals.get(label)! + 1);
    }
  }
  const v = vocabulary.size;
  const logPrior = new Map<L, number>();
  for (const label of labels) logPrior.set(label, priorWeight * Math.log(docs.get(label)! / examples.length));

  return {
    labels,
    predict(features) {
      const known = features.filter((f) => vocabulary.has(f));
      const raw = {} as Record<L, number>;
      for (const label of labels) {
        const c = counts.get(label)!;
        const denominator = Math.log(totals.get(label)! + alpha * v);
        let score = logPrior.get(label)!;
        for (const f of known) score += Math.log((c.get(f) ?? 0) + alpha) - denominator;
        raw[label] = score;
      }
      const max = Math.max(...Object.values<number>(raw));
      let sum = 0;
      for (const label of labels) sum += Math.exp(raw[label] - max);
      const scores = {} as Record<L, number>;
      let best = labels[0]!;
      for (const label of labels) {
        scores[label] = Math.exp(raw[label] - max) / sum;
        if (scores[label] > scores[best]) best = label;
      }
      return { label: best, probability: scores[best], scores };
    },
  };
}
