/**
 * A small multinomial naive Bayes over binary (or weighted) features; trains in milliseconds on a
 * few hundred examples. With `complement` it is complement naive Bayes (Rennie et al. 2003): each
 * label is scored by how badly the other labels' feature distribution explains the text, which
 * copes better with uneven label counts.
 */
import type { FeatureVector, Prediction } from './model-types.ts';

export interface NaiveBayes<L extends string> {
  predict(features: string[] | FeatureVector): Prediction<L>;
  labels: readonly L[];
}

export interface NaiveBayesOptions {
  /** Additive (Lidstone) smoothing. */
  alpha?: number;
  /** Exponent of the label prior: 1 is the training mix, 0 a flat prior. */
  priorWeight?: number;
  /** Complement naive Bayes, with per-label weight normalisation. */
  complement?: boolean;
}

function entries(features: string[] | FeatureVector): Iterable<[string, number]> {
  return Array.isArray(features) ? features.map((f): [string, number] => [f, 1]) : features;
}

export function trainNaiveBayes<L extends string>(
  examples: Array<{ features: string[] | FeatureVector; label: L }>,
  opts: NaiveBayesOptions = {},
): NaiveBayes<L> {
  const alpha = opts.alpha ?? 0.3;
  // Flattened priors: the training set's label mix is a choice of the writer, not a fact of the world.
  const priorWeight = opts.priorWeight ?? 0.5;
  const labels = [...new Set(examples.map((e) => e.label))] as L[];
  const vocabulary = new Set<string>();
  const counts = new Map<L, Map<string, number>>();
  const totals = new Map<L, number>();
  const docs = new Map<L, number>();
  const all = new Map<string, number>();
  let grandTotal = 0;
  for (const label of labels) {
    counts.set(label, new Map());
    totals.set(label, 0);
    docs.set(label, 0);
  }
  for (const { features, label } of examples) {
    const c = counts.get(label)!;
    docs.set(label, docs.get(label)! + 1);
    for (const [f, value] of entries(features)) {
      vocabulary.add(f);
      c.set(f, (c.get(f) ?? 0) + value);
      all.set(f, (all.get(f) ?? 0) + value);
      totals.set(label, totals.get(label)! + value);
      grandTotal += value;
    }
  }
  const v = vocabulary.size;
  const logPrior = new Map<L, number>();
  for (const label of labels) logPrior.set(label, priorWeight * Math.log(docs.get(label)! / examples.length));

  // Complement weights: -log P(f | not label), normalised so that no label wins by sheer mass.
  const complementWeights = new Map<L, Map<string, number>>();
  if (opts.complement) {
    for (const label of labels) {
      const c = counts.get(label)!;
      const rest = grandTotal - totals.get(label)!;
      const weights = new Map<string, number>();
      let norm = 0;
      for (const f of vocabulary) {
        const weight = -Math.log((all.get(f)! - (c.get(f) ?? 0) + alpha) / (rest + alpha * v));
        weights.set(f, weight);
        norm += Math.abs(weight);
      }
      for (const [f, weight] of weights) weights.set(f, (weight / norm) * v);
      complementWeights.set(label, weights);
    }
  }

  return {
    labels,
    predict(features) {
      const known = [...entries(features)].filter(([f]) => vocabulary.has(f));
      const raw = {} as Record<L, number>;
      for (const label of labels) {
        let score = logPrior.get(label)!;
        if (opts.complement) {
          const weights = complementWeights.get(label)!;
          for (const [f, value] of known) score += value * weights.get(f)!;
        } else {
          const c = counts.get(label)!;
          const denominator = Math.log(totals.get(label)! + alpha * v);
          for (const [f, value] of known) score += value * (Math.log((c.get(f) ?? 0) + alpha) - denominator);
        }
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
