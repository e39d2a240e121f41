import { describe, expect, it } from 'vitest';
import { isVagueRequest, namingWords } from './vague.ts';

describe('the vagueness rule', () => {
  it.each([
    ["it's broken", []],
    ['It’s not working!!', []],
    ["can't get it to work, please help asap", []],
    ['Hilfe, es geht nicht', []],
    ['vpn down', ['vpn']],
    ['printer jammed', ['printer', 'jammed']],
    ['reset my password', ['reset', 'password']],
    ["I can't log in", ['log']],
    ['teams not working', ['teams']],
    ['ticket 42 still broken', ['ticket']],
  ])('%j names %j', (text, named) => {
    expect(namingWords(text)).toEqual(named);
  });

  it('calls a text vague only when it names nothing', () => {
    expect(isVagueRequest('')).toBe(true);
    expect(isVagueRequest('problem')).toBe(true);
    expect(isVagueRequest('email problem')).toBe(false);
    // A redacted detail still says what it is about.
    expect(isVagueRequest('help [email]')).toBe(false);
  });
});
