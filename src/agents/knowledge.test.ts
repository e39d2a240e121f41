import { describe, expect, it } from 'vitest';
import { sentencesOf } from './knowledge.ts';

describe('sentencesOf', () => {
  it('splits a message into the sentences searched on their own, skipping one-word ones', () => {
    expect(sentencesOf('how do I set up VPN on my Mac? it shows 10.0.0.1 as its address. thanks!')).toEqual([
      'how do I set up VPN on my Mac?',
      'it shows 10.0.0.1 as its address.',
    ]);
    expect(sentencesOf('outlook keeps asking for my password\nsince this morning')).toEqual([
      'outlook keeps asking for my password',
      'since this morning',
    ]);
  });

  it('leaves a one-sentence message to the whole-message search', () => {
    expect(sentencesOf('which browsers does okta work on?')).toEqual([]);
  });
});
