import { describe, expect, it } from 'vitest';
import { csatCard, ticketCard } from '../chat/cards.ts';
import { refusalText } from '../tickets/refusal.ts';
import { chooseLanguage } from './choose.ts';
import { REQUESTER_KEYS } from './en.ts';
import { CATALOGUES, messagesFor, missingKeys, withFallback } from './i18n.ts';
import { LANGUAGES, toLanguage } from './languages.ts';

const view = {
  id: 3,
  number: 42,
  title: 'VPN drops',
  description: 'It drops every hour',
  status: 'new' as const,
  priority: 'P2' as const,
  category: 'network',
  requesterName: 'Lea',
  assigneeName: null,
  resolution: null,
  firstResponseDueAt: null,
  resolutionDueAt: null,
  escalationLevel: 1,
};

describe('message catalogues', () => {
  it('lists, per language, the keys it lacks, and no language lacks a text a requester reads', () => {
    const lacking = Object.fromEntries(
      LANGUAGES.map((language) => [language, missingKeys(CATALOGUES[language])]),
    );
    // Printed so that whoever adds a key sees at a glance which languages still say it in English.
    console.info('keys each language lacks (English is said instead):', JSON.stringify(lacking));
    for (const language of LANGUAGES) {
      const requesterGaps = lacking[language]!.filter((key) => REQUESTER_KEYS.includes(key));
      expect({ language, requesterGaps }).toEqual({ language, requesterGaps: [] });
    }
  });

  it('finds a key or refusal a language left out, and says it in English instead', () => {
    const { ackFiled: _ack, cardClaim: _claim, ...rest } = CATALOGUES.de;
    const { closed: _closed, ...refusals } = CATALOGUES.de.refusals ?? {};
    const gappy = { ...rest, refusals };
    expect(missingKeys(gappy)).toEqual(['ackFiled', 'cardClaim', 'refusals.closed']);
    // A requester text and a refusal are requester keys (the test above fails on them); a card label is not.
    expect(missingKeys(gappy).filter((key) => REQUESTER_KEYS.includes(key))).toEqual([
      'ackFiled',
      'refusals.closed',
    ]);
    const texts = withFallback(gappy);
    expect(texts.ackFiled({ number: 1, title: 't', priority: 'P3', category: 'other' })).toMatch(
      /^Thanks, I've/,
    );
    expect(texts.refusals.closed({ number: 4 })).toBe('#4 is closed.');
    expect(texts.refusals.closed_reopen({ number: 4 })).toMatch(/^#4 ist geschlossen/);
    expect(texts.cardResolve).toBe('Lösen');
  });

  it('maps codes and locales to a supported language, and anything else to none', () => {
    expect(toLanguage('de-DE')).toBe('de');
    expect(toLanguage('pt_BR')).toBe('pt');
    expect(toLanguage('FR')).toBe('fr');
    expect(toLanguage('it')).toBeUndefined();
    expect(toLanguage('')).toBeUndefined();
    expect(toLanguage(undefined)).toBeUndefined();
  });

  it('speaks English for an unsupported language', () => {
    expect(messagesFor('it').answerTitle).toBe('This might help');
    expect(messagesFor('ja').refusals.no_such_ticket()).toBe('No such ticket.');
    expect(refusalText({ code: 'closed', number: 4 }, 'nl')).toBe('#4 is closed.');
  });

  it('acknowledges in French, Spanish and Portuguese, with the ticket number and title', () => {
    const ticket = { number: 7, title: 'Imprimante bloquée', priority: 'P3' as const, category: 'printing' };
    expect(messagesFor('fr').ackFiled(ticket)).toBe(
      "Merci, j'ai créé le ticket #7 : « Imprimante bloquée » (P3, printing). L'équipe IT vous répondra ici.",
    );
    expect(messagesFor('es').ackFiled({ ...ticket, title: 'Impresora atascada' })).toBe(
      'Gracias, he creado el ticket #7: «Impresora atascada» (P3, printing). El equipo de TI le responderá aquí.',
    );
    expect(messagesFor('pt').ackFiled({ ...ticket, title: 'Impressora travada' })).toBe(
      'Obrigado, abri o ticket #7: "Impressora travada" (P3, printing). A equipe de TI vai responder aqui.',
    );
  });

  it('asks for a rating, refuses and notifies in French, Spanish and Portuguese', () => {
    expect(csatCard(3, 9, undefined, messagesFor('fr')).card?.title).toBe(
      'Comment avons-nous géré le ticket #9 ?',
    );
    expect(csatCard(3, 9, 4, messagesFor('es')).card?.title).toBe('Gracias: ha valorado el #9 con 4/5');
    expect(csatCard(3, 9, undefined, messagesFor('pt')).text).toBe(
      'Como foi o atendimento no #9? Avalie de 1 (ruim) a 5 (ótima).',
    );
    expect(refusalText({ code: 'closed_reply', number: 5 }, 'fr')).toBe(
      'Le ticket #5 est fermé. Envoyez un nouveau message et je créerai un nouveau ticket.',
    );
    expect(refusalText({ code: 'agents_only', role: 'requester' }, 'es')).toBe(
      'Solo los agentes pueden hacer eso (su rol: solicitante).',
    );
    expect(refusalText({ code: 'reopen_first', number: 2, status: 'resolved' }, 'pt')).toBe(
      'O #2 está resolvido; reabra-o primeiro.',
    );
    expect(messagesFor('pt').noticeResolved(5, 'Dana', null)).toBe(
      '✅ O ticket #5 foi resolvido por Dana.\nSe não estiver resolvido, basta responder aqui e ele será reaberto.',
    );
  });

  it('draws the ticket card in German when asked, and in English by default, unchanged', () => {
    const german = ticketCard(view, messagesFor('de')).card!;
    expect(german.fields?.map((f) => f.label)).toEqual([
      'Status',
      'Priorität',
      'Kategorie',
      'Anfragende/r',
      'Bearbeiter/in',
      'Eskalation',
    ]);
    expect(german.fields?.[0]?.value).toBe('🆕 Neu');
    expect(german.fields?.[4]?.value).toBe('Nicht zugewiesen');
    expect(german.actions?.map((a) => (a.type === 'button' ? a.label : a.placeholder))).toEqual([
      'Übernehmen',
      'Zuweisen an…',
      'Priorität',
      'Interne Notiz',
      'Lösen',
      'Schließen',
    ]);
    const english = ticketCard(view).card!;
    expect(english.fields?.map((f) => `${f.label}: ${f.value}`)).toEqual([
      'Status: 🆕 New',
      'Priority: P2',
      'Category: network',
      'Requester: Lea',
      'Assignee: Unassigned',
      'Escalation: Level 1',
    ]);
    expect(english.context).toBe(
      'Reply in this thread to answer the requester; start with "note:" to keep it internal.',
    );
  });
});

describe('choosing the language', () => {
  it('takes the message’s language when it says clearly, and remembers it', () => {
    expect(chooseLanguage({ detected: 'de', text: 'Drucker kaputt', locale: 'en-US' })).toEqual({
      language: 'de',
      fresh: true,
    });
    expect(chooseLanguage({ detected: 'en', text: 'my laptop screen is cracked', remembered: 'de' })).toEqual(
      { language: 'en', fresh: true },
    );
  });

  it('gives a short "English" guess way to the language last written in, then to the locale', () => {
    expect(chooseLanguage({ detected: 'en', text: 'VPN kaputt', locale: 'en-US', remembered: 'de' })).toEqual(
      {
        language: 'de',
        fresh: false,
      },
    );
    expect(chooseLanguage({ detected: 'en', text: 'Outlook crash', locale: 'es-ES' })).toEqual({
      language: 'es',
      fresh: true,
    });
    expect(chooseLanguage({ locale: 'pt-BR', remembered: 'fr' }).language).toBe('fr');
    expect(chooseLanguage({})).toEqual({ language: 'en', fresh: false });
  });

  it('answers a message in a language without texts in English (or the locale’s), forgetting nothing', () => {
    expect(chooseLanguage({ detected: 'it', text: 'la stampante non funziona', remembered: 'de' })).toEqual({
      language: 'en',
      fresh: false,
    });
    expect(
      chooseLanguage({ detected: 'it', text: 'la stampante non funziona', locale: 'fr-FR' }).language,
    ).toBe('fr');
  });
});
