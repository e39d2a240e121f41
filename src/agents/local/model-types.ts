/** The types the classifiers (naive-bayes.ts, linear.ts) and local-triage.ts share. */

/** Feature name to value (a count or a weight); the classifier applies IDF and L2 normalisation. */
export type FeatureVector = ReadonlyMap<string, number>;

export interface Prediction<L extends string> {
  label: L;
  /** Normalised posterior of the winning label. */
  probability: number;
  scores: Record<L, number>;
}
