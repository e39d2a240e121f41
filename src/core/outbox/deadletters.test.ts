import { describe, expect, it } from 'vitest';
import { ageText, parseDeadLetterId } from './deadletters.ts';

describe('dead letter ids', () => {
  it('reads o<id> as a delivery and i<id> as an inbound event', () => {
    expect(parseDeadLetterId('o12')).toEqual({ kind: 'outbound', id: 12 });
    expect(parseDeadLetterId(' i7 ')).toEqual({ kind: 'inbound', id: 7 });
  });

  it('refuses anything else, including numbers no row can have', () => {
    for (const bad of ['12', 'o', 'o0', 'o-1', 'x12', 'o1.5', 'o99999999999999999999', 'all', ''])
      expect(parseDeadLetterId(bad)).toBeUndefined();
  });
});

describe('ages', () => {
  it('reads in minutes, then hours, then days', () => {
    expect(ageText(0)).toBe('0 min');
    expect(ageText(59 * 60)).toBe('59 min');
    expect(ageText(3 * 3600)).toBe('3 h');
    expect(ageText(3 * 86_400)).toBe('3 days');
  });
});
