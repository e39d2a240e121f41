import { describe, expect, it } from 'vitest';
import { answerCard, csatCard, decidedAnswerCard } from './cards.ts';

describe('the CSAT card', () => {
  it('once rated, thanks the requester and keeps the scale with only their choice marked', () => {
    const { text, card } = csatCard(7, 12, 4);
    expect(card?.title).toBe('Thanks — you rated #12 4/5');
    expect(text).toContain('Thanks — you rated #12 4/5');
    const buttons = (card?.actions ?? []).map((a) =>
      a.type === 'button' ? [a.label, a.value, a.style] : [],
    );
    expect(buttons).toEqual([
      ['★', '7:1', undefined],
      ['★★', '7:2', undefined],
      ['★★★', '7:3', undefined],
      ['✓ ★★★★', '7:4', 'primary'],
      ['★★★★★', '7:5', undefined],
    ]);
  });

  it('before a rating, asks and marks nothing', () => {
    const { card } = csatCard(7, 12);
    expect(card?.title).toBe('How did we do on #12?');
    expect(card?.actions?.some((a) => a.type === 'button' && a.style !== undefined)).toBe(false);
  });
});

describe('the decided answer card', () => {
  const posted = answerCard({
    answer: 'Restart the print spooler.',
    articles: [{ id: 'printer', title: 'Clear a stuck print queue' }],
    answerId: 'answer:3',
  }).card!;

  it('says the outcome in its title, keeps the answer and sources, and drops the buttons', () => {
    const fixed = decidedAnswerCard(posted, { kind: 'fixed' });
    expect(fixed.card).toMatchObject({
      kind: 'answer',
      title: '✅ Glad that fixed it',
      body: posted.body,
      context: posted.context,
      actions: [],
    });
    expect(fixed.text).toBe(
      '✅ Glad that fixed it\n\nRestart the print spooler.\n\nSources: Clear a stuck print queue [kb:printer]',
    );
    expect(decidedAnswerCard(posted, { kind: 'ticket', ticketNumber: 9 }).card?.title).toBe(
      '🎫 Filed ticket #9 for you',
    );
  });
});
