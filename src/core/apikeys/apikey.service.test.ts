import { describe, expect, it } from 'vitest';
import { checkKeyName, hashKey, parseScopes } from './apikey.service.ts';

describe('API key inputs', () => {
  it('reads comma-separated scopes and names the unknown ones', () => {
    expect(parseScopes('tickets:read, tickets:write,tickets:read')).toEqual({
      ok: true,
      scopes: ['tickets:read', 'tickets:write'],
    });
    expect(parseScopes('tickets:read,tickets:everything')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('unknown scope tickets:everything'),
    });
    expect(parseScopes(' , ')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('no scope given'),
    });
  });

  it('accepts readable key names only', () => {
    expect(checkKeyName('hr-onboarding')).toBeUndefined();
    expect(checkKeyName('Zapier sync 2')).toBeUndefined();
    expect(checkKeyName('')).toBeDefined();
    expect(checkKeyName('<@U123>')).toBeDefined();
    expect(checkKeyName('x'.repeat(61))).toBeDefined();
  });

  it('hashes a key to 64 hex characters, the same each time', () => {
    expect(hashKey('hd_abc')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashKey('hd_abc')).toBe(hashKey('hd_abc'));
  });
});
