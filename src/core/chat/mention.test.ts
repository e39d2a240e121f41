import { describe, expect, it } from 'vitest';
import { mentionOf, mentionToken, plainMentions, replaceMentions } from './mention.ts';

describe('mention tokens', () => {
  it('addresses a Teams identity with a neutral token the Teams adapter turns into a mention', () => {
    expect(mentionOf('teams', '0b0e6a4e-4444', 'Alex Agent')).toBe('<@teams:0b0e6a4e-4444|Alex Agent>');
  });

  it('keeps Slack mentions native and everything else as @name', () => {
    expect(mentionOf('slack', 'U0ALEX', 'Alex')).toBe('<@U0ALEX>');
    expect(mentionOf('console', 'alex', 'Alex')).toBe('@Alex');
    // Teams shows a mention by name, so without one it stays plain text.
    expect(mentionOf('teams', '0b0e6a4e-4444', null)).toBe('@0b0e6a4e-4444');
  });

  it('drops the characters that would break the token from the name', () => {
    const token = mentionToken('teams', '29:1x', 'Ann <Ops> | IT');
    expect(replaceMentions(token, (m) => JSON.stringify(m))).toBe(
      JSON.stringify({ platform: 'teams', userId: '29:1x', name: 'Ann Ops  IT' }),
    );
  });

  it('writes tokens as @Name for text-only surfaces, leaving Slack mentions alone', () => {
    const text = `${mentionToken('teams', '29:1x', 'Alex Agent')} and <@U0SAM>`;
    expect(plainMentions(text)).toBe('@Alex Agent and <@U0SAM>');
  });
});
