import { describe, expect, it } from 'vitest';
import { TRAINING_EXAMPLES } from './training-data.ts';
import { trainingOverlap } from './training-overlap.ts';

describe('training overlap', () => {
  it('flags an evaluated row that paraphrases a training example', () => {
    const report = trainingOverlap(
      ['printer on the third floor shows a paper jam error'],
      ['hello printer third floor paper jam error again thanks', 'new laptop for the designer'],
    );
    expect(report).toEqual({ rows: 1, examples: 1, threshold: 0.5 });
  });

  it('does not flag rows that only share a common word or two', () => {
    const report = trainingOverlap(
      ['please reset my vpn token', 'order a new docking station for my desk'],
      ['please add me to the finance distribution list', 'my monitor flickers when docked'],
    );
    expect(report.rows).toBe(0);
  });

  it('does not let one long row contain every short example', () => {
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    expect(trainingOverlap(['word1 word2 word3'], [long]).rows).toBe(0);
  });

  it('flags every shipped training example against itself, so the measure is not trivially zero', () => {
    const texts = TRAINING_EXAMPLES.map((e) => e.text);
    expect(trainingOverlap(texts.slice(0, 20), texts.slice(0, 20)).rows).toBe(20);
  });
});
