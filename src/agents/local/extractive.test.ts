import { describe, expect, it } from 'vitest';
import { extractAnswer } from './extractive.ts';

const body = `The company VPN uses the GlobalProtect client.

1. Open Self Service and install GlobalProtect.
2. Allow the system extension, then restart.

Printers are covered in another article about paper and toner.

If it says "Gateway not responding", switch networks.`;

describe('extractive answer', () => {
  it('quotes the opening and the steps that match the question, in the article order', () => {
    const answer = extractAnswer('how do I install the VPN on my mac', body);
    expect(answer.startsWith('The company VPN uses the GlobalProtect client.')).toBe(true);
    expect(answer).toContain('1. Open Self Service and install GlobalProtect.');
    expect(answer).not.toContain('paper and toner');
  });

  it('returns nothing for an empty article instead of inventing text', () => {
    expect(extractAnswer('anything', '   ')).toBe('');
  });
});
