import { describe, expect, it } from 'vitest';
import { byText } from './assigned-by.ts';

describe('how an automatic assignment is told', () => {
  it('names the mode, the skill matched, or why it fell back', () => {
    expect(byText({ by: 'round-robin' })).toBe('by round-robin');
    expect(byText({ by: 'skills', category: 'network' })).toBe('by skills (network)');
    expect(byText({ by: 'load', category: 'printing', fallback: true })).toBe(
      'by load (nobody with printing skills is available)',
    );
    expect(byText({ by: 'on-call' })).toBe('by on-call');
  });
});
