/**
 * Temperature scaling (Guo et al. 2017) of a classifier's probabilities: one number T fitted on
 * held-out predictions so that a stated 0.7 is right about 70 % of the time. Scaling by T keeps
 * the winning label; it only makes the probabilities more (T < 1) or less (T > 1) sure.
 */

/** Probabilities raised to 1/T and renormalised: the softmax of the logits divided by T. */
export function withTemperature<L extends string>(scores: Record<L, number>, t: number): Record<L, number> {
  const out = {} as Record<L, number>;
  let sum = 0;
  for (const label of Object.keys(scores) as L[]) {
    const p = Math.max(scores[label], 1e-12) ** (1 / t);
    out[label] = p;
    sum += p;
  }
  for (const label of Object.keys(out) as L[]) out[label] /= sum;
  return out;
}

/** The temperature with the lowest mean negative log-likelihood of the true labels (a grid, then a finer one). */
export function fitTemperature<L extends string>(
  held: ReadonlyArray<{ scores: Record<L, number>; label: L }>,
): number {
  if (held.length === 0) return 1;
  const nll = (t: number) => {
    let total = 0;
    for (const { scores, label } of held)
      total -= Math.log(Math.max(withTemperature(scores, t)[label] ?? 0, 1e-12));
    return total / held.length;
  };
  let best = 1;
  let bestLoss = nll(1);
  for (let t = 0.2; t <= 5.0001; t += 0.1) {
    const loss = nll(t);
    if (loss < bestLoss) [best, bestLoss] = [t, loss];
  }
  for (let t = best - 0.09; t <= best + 0.0901; t += 0.01) {
    if (t <= 0) continue;
    const loss = nll(t);
    if (loss < bestLoss) [best, bestLoss] = [t, loss];
  }
  return Math.round(best * 100) / 100;
}

/**
 * Expected calibration error: predictions binned by confidence (10 equal bins), the gap between
 * each bin's accuracy and mean confidence, weighted by the bin's share.
 */
export function expectedCalibrationError(
  predictions: ReadonlyArray<{ confidence: number; correct: boolean }>,
): number {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, confidence: 0, correct: 0 }));
  for (const { confidence, correct } of predictions) {
    const bin = bins[Math.min(9, Math.floor(confidence * 10))]!;
    bin.n++;
    bin.confidence += confidence;
    bin.correct += correct ? 1 : 0;
  }
  let ece = 0;
  for (const bin of bins)
    if (bin.n > 0)
      ece += (bin.n / predictions.length) * Math.abs(bin.correct / bin.n - bin.confidence / bin.n);
  return ece;
}
