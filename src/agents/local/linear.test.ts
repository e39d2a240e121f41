import { describe, expect, it } from 'vitest';
import { mulberry32, trainLinear } from './linear.ts';
import { trainNaiveBayes } from './naive-bayes.ts';

const v = (...names: string[]) => new Map(names.map((n) => [n, 1]));

// Three labels, each with its own marker words plus shared noise: linearly separable.
function toyProblem(n: number, seed = 3) {
  const random = mulberry32(seed);
  const markers = { a: ['apple', 'apricot'], b: ['banana', 'blueberry'], c: ['cherry', 'coconut'] } as const;
  const noise = ['the', 'fruit', 'bowl', 'kitchen', 'table'];
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const label = (['a', 'b', 'c'] as const)[i % 3]!;
    return { label, features: v(pick(markers[label]), pick(noise), pick(noise)) };
  });
}

describe('linear classifier', () => {
  it.each(['log', 'hinge'] as const)('learns a separable toy problem (%s loss)', (loss) => {
    const model = trainLinear(toyProblem(90), { loss });
    for (const example of toyProblem(30, 11))
      expect(model.predict(example.features).label).toBe(example.label);
  });

  it('returns normalised probabilities with the winner most likely', () => {
    const p = trainLinear(toyProblem(90)).predict(v('banana', 'kitchen'));
    const total = Object.values<number>(p.scores).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 6);
    expect(p.label).toBe('b');
    expect(p.probability).toBe(Math.max(...Object.values<number>(p.scores)));
  });

  it('ignores features it never saw and falls back on the biases', () => {
    const model = trainLinear(toyProblem(90));
    const p = model.predict(v('durian'));
    for (const score of Object.values<number>(p.scores)) expect(score).toBeCloseTo(1 / 3, 1);
  });

  it('trains reproducibly for a given seed', () => {
    const a = trainLinear(toyProblem(60), { seed: 5 }).predict(v('apple', 'bowl'));
    const b = trainLinear(toyProblem(60), { seed: 5 }).predict(v('apple', 'bowl'));
    expect(a.scores).toEqual(b.scores);
  });

  it('flattens an uneven label mix with priorCorrection', () => {
    // 'common' is nine times as frequent; an uninformative text leans to it unless corrected.
    const examples = [
      ...Array.from({ length: 90 }, () => ({ label: 'common', features: v('x', 'shared') })),
      ...Array.from({ length: 10 }, () => ({ label: 'rare', features: v('y', 'shared') })),
    ];
    const plain = trainLinear(examples).predict(v('shared'));
    const corrected = trainLinear(examples, { priorCorrection: 1 }).predict(v('shared'));
    expect(corrected.scores.rare!).toBeGreaterThan(plain.scores.rare!);
  });
});

describe('naive Bayes', () => {
  it.each([false, true])('learns a separable toy problem (complement: %s)', (complement) => {
    const model = trainNaiveBayes(toyProblem(90), { complement });
    for (const example of toyProblem(30, 11))
      expect(model.predict(example.features).label).toBe(example.label);
  });

  it('takes a plain feature list as binary features', () => {
    const model = trainNaiveBayes([
      { label: 'x', features: ['red'] },
      { label: 'y', features: ['blue'] },
    ]);
    expect(model.predict(['blue']).label).toBe('y');
    expect(model.predict(new Map([['red', 1]])).label).toBe('x');
  });
});
