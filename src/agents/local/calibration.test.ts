import { describe, expect, it } from 'vitest';
import { expectedCalibrationError, fitTemperature, withTemperature } from './calibration.ts';

describe('temperature scaling', () => {
  it('keeps the winning label and only changes how sure it is', () => {
    const scores = { a: 0.7, b: 0.2, c: 0.1 };
    const softer = withTemperature(scores, 2);
    const sharper = withTemperature(scores, 0.5);
    expect(softer.a).toBeLessThan(0.7);
    expect(sharper.a).toBeGreaterThan(0.7);
    expect(softer.a + softer.b + softer.c).toBeCloseTo(1);
    expect(withTemperature(scores, 1).a).toBeCloseTo(0.7);
  });

  it('fits T > 1 to an overconfident classifier and lowers its calibration error', () => {
    // Says 0.95 every time but is right 6 times in 10.
    const held = Array.from({ length: 100 }, (_, i) => ({
      scores: { a: 0.95, b: 0.05 },
      label: (i % 10 < 6 ? 'a' : 'b') as 'a' | 'b',
    }));
    const t = fitTemperature(held);
    expect(t).toBeGreaterThan(1);
    const ece = (temperature: number) =>
      expectedCalibrationError(
        held.map((h) => ({ confidence: withTemperature(h.scores, temperature).a, correct: h.label === 'a' })),
      );
    expect(ece(1)).toBeCloseTo(0.35);
    expect(ece(t)).toBeLessThan(0.05);
  });

  it('fits T < 1 to an underconfident one', () => {
    const held = Array.from({ length: 50 }, () => ({ scores: { a: 0.55, b: 0.45 }, label: 'a' as const }));
    expect(fitTemperature(held)).toBeLessThan(1);
  });
});
