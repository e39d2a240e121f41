import { describe, expect, it } from 'vitest';
import type { Db } from '../core/db.ts';
import type { SearchHit } from '../core/kb/kb.repository.ts';
import { silentLogger } from '../core/logger.ts';
import { answerFromKnowledge, sentencesOf } from './knowledge.ts';
import type { LlmDeps } from './llm/structured.ts';

const hit = (title: string, body: string): SearchHit => ({
  id: 'kb-1',
  title,
  body,
  url: null,
  tags: [],
  rank: 1,
  coverage: 1,
  allTerms: true,
  score: 1,
});

const english = hit(
  'Set up the VPN on a Mac',
  `The company VPN uses the GlobalProtect client and you can install it yourself.

1. Open Self Service and install GlobalProtect.
2. Allow the system extension when the Mac asks for it, then restart.`,
);

// Offline: no model, and the candidates are given, so nothing reads the database.
const offline = {
  db: undefined as unknown as Db,
  clock: { now: () => new Date('2026-12-05T08:00:00Z') },
  log: silentLogger,
  settings: { LLM_TIMEOUT_MS: 1000, LLM_CACHE_TTL_SECONDS: 0 },
} satisfies LlmDeps;

describe('the offline knowledge answer in the asker’s language', () => {
  it('frames an English article for a German asker in German, and says the article is in English', async () => {
    const result = await answerFromKnowledge(offline, 'Wie installiere ich das VPN auf meinem Mac?', {
      language: 'de',
      candidates: [english],
    });
    expect(result.kind).toBe('answer');
    if (result.kind !== 'answer') return;
    expect(result.answer.startsWith('Aus „Set up the VPN on a Mac“:\n\n')).toBe(true);
    expect(result.answer).toContain('Open Self Service and install GlobalProtect.');
    expect(result.answer.endsWith('\n\nDieser Artikel ist auf Englisch.')).toBe(true);
  });

  it('says nothing about the language when the article is in the asker’s, and keeps English byte for byte', async () => {
    const result = await answerFromKnowledge(offline, 'how do I install the VPN on my mac', {
      language: 'en',
      candidates: [english],
    });
    if (result.kind !== 'answer') throw new Error('expected an answer');
    expect(result.answer.startsWith('From “Set up the VPN on a Mac”:\n\n')).toBe(true);
    expect(result.answer).not.toContain('This article is in');
  });

  it('tells a French asker that a German article is in German, in French', async () => {
    const german = hit(
      'VPN auf dem Mac einrichten',
      'Das Firmen-VPN nutzt den GlobalProtect-Client. Öffnen Sie Self Service und installieren Sie GlobalProtect, dann starten Sie den Mac neu.',
    );
    const result = await answerFromKnowledge(offline, 'Comment installer le VPN sur mon Mac ?', {
      language: 'fr',
      candidates: [german],
    });
    if (result.kind !== 'answer') throw new Error('expected an answer');
    expect(result.answer.startsWith("D'après « VPN auf dem Mac einrichten » :")).toBe(true);
    expect(result.answer.endsWith('Cet article est en allemand.')).toBe(true);
  });
});

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
