/** What the Slack and Teams notifier tests share: the card they deliver and the failure they expect. */
import { expect } from 'vitest';
import type { OutMessage } from '../../src/core/chat/chat.ts';
import { HelpdeskError } from '../../src/core/errors.ts';

/** A ticket card with fields and a button, enough to exercise each platform's renderer. */
export const ticketCard: OutMessage = {
  text: 'Ticket #4: VPN will not connect',
  card: {
    kind: 'ticket',
    title: '#4 VPN will not connect',
    fields: [{ label: 'Status', value: 'open' }],
    actions: [{ type: 'button', actionId: 'ticket.claim', label: 'Claim', value: '4', style: 'primary' }],
  },
};

/** Awaits a delivery that must fail and returns its HelpdeskError. */
export async function failure(promise: Promise<unknown>): Promise<HelpdeskError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HelpdeskError);
  return error as HelpdeskError;
}
