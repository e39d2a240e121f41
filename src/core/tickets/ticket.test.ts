import { describe, expect, it } from 'vitest';
import { checkTransition, titleFrom } from './ticket.ts';

describe('ticket transitions', () => {
  it('allows the normal life of a ticket and reopening a resolved one', () => {
    expect(checkTransition('new', 'open').ok).toBe(true);
    expect(checkTransition('open', 'pending').ok).toBe(true);
    expect(checkTransition('pending', 'resolved').ok).toBe(true);
    expect(checkTransition('resolved', 'open').ok).toBe(true);
    expect(checkTransition('resolved', 'closed').ok).toBe(true);
  });

  it('refuses moves that make no sense, with a reason', () => {
    expect(checkTransition('closed', 'open')).toEqual({
      ok: false,
      reason: 'the ticket is closed; file a new one instead',
    });
    expect(checkTransition('open', 'new')).toEqual({ ok: false, reason: 'a ticket cannot go back to new' });
    expect(checkTransition('open', 'open')).toEqual({ ok: false, reason: 'the ticket is already open' });
  });

  it('makes a short title from the first sentence', () => {
    expect(titleFrom('VPN drops every hour. It started Monday.')).toBe('VPN drops every hour.');
    expect(titleFrom('x'.repeat(200)).length).toBeLessThanOrEqual(80);
  });
});
