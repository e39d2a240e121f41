/** Text features for the local models: wink-nlp lemmas, sentiment and a stop-word language guess. */

import model from 'wink-eng-lite-web-model';
import winkNLP from 'wink-nlp';

const nlp = winkNLP(model);
const its = nlp.its;

// Stop words that still carry meaning for triage: negation says "incident", wh-words say "question".
const KEEP = new Set([
  'not',
  'no',
  "n't",
  'cannot',
  'how',
  'where',
  'what',
  'who',
  'why',
  'when',
  'which',
  'down',
  'off',
  'out',
  'new',
  'again',
]);

// Greeting, sign-off and signature words of helpdesk mail: frequent everywhere, evidence of nothing.
const NOISE = new Set(
  (
    'hi hello hey dear please pls kindly thank thanks thx regards kind best cheers guy team colleague sent re fw fwd ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august ' +
    'september october november december pm am ext mob tel phone senior junior lead head officer analyst engineer ' +
    'developer tester administrator administration specialist coordinator manager technician consultant assistant ' +
    'director programme program let know advise help assist possible need want would could also ask receive'
  ).split(' '),
);

export interface Features {
  /** Content lemmas, in order. */
  words: string[];
  /** Unique features for the classifiers: lemmas plus adjacent-pair bigrams. */
  features: string[];
  /** The same without greeting and signature words: what the request is about, for the category. */
  topical: string[];
}

/** Lemmatised content tokens and bigrams of a (redacted) text. */
export function featuresOf(text: string): Features {
  const doc = nlp.readDoc(text.toLowerCase().replace(/\s::\s/g, ' . '));
  const words: string[] = [];
  doc.tokens().each((token: any) => {
    const type = token.out(its.type);
    if (type !== 'word' && type !== 'number') return;
    const normal: string = token.out(its.normal);
    if (token.out(its.stopWordFlag) && !KEEP.has(normal)) return;
    if (type === 'number') {
      words.push('<num>');
      return;
    }
    const lemma: string = token.out(its.lemma);
    words.push(normal === "n't" ? 'not' : lemma);
  });
  const topicalWords = words.filter((w) => !NOISE.has(w));
  return { words: topicalWords, features: withBigrams(words), topical: withBigrams(topicalWords) };
}

function withBigrams(words: string[]): string[] {
  const set = new Set(words);
  for (let i = 0; i + 1 < words.length; i++) set.add(`${words[i]}_${words[i + 1]}`);
  return [...set];
}

/** wink-nlp's sentiment score mapped to three labels, with a nudge for frustration cues. */
export function sentimentOf(text: string): 'negative' | 'neutral' | 'positive' {
  const score = Number(nlp.readDoc(text).out(its.sentiment));
  const frustrated =
    /!{2,}|\b(again|still (not|broken)|annoy|frustrat|ridiculous|useless|fed up|third time)\w*/i.test(text);
  if (score <= -0.25 || (frustrated && score < 0.2)) return 'negative';
  if (score >= 0.35 && !frustrated) return 'positive';
  return 'neutral';
}

const STOP_WORDS: Record<string, string[]> = {
  en: [
    'the',
    'and',
    'is',
    'to',
    'my',
    'i',
    'it',
    'not',
    'please',
    'can',
    'with',
    'for',
    'have',
    'this',
    'you',
    'hi',
    'on',
    'of',
    'in',
    'a',
    'be',
    'by',
    'that',
    'from',
    'thanks',
    'hello',
    'regards',
    're',
  ],
  de: [
    'der',
    'die',
    'das',
    'und',
    'ist',
    'nicht',
    'ich',
    'mein',
    'meine',
    'bitte',
    'kann',
    'mit',
    'ein',
    'eine',
    'funktioniert',
    'hallo',
  ],
  fr: [
    'le',
    'la',
    'les',
    'et',
    'est',
    'pas',
    'je',
    'mon',
    'ma',
    'ne',
    'avec',
    'pour',
    'une',
    'bonjour',
    'merci',
    'fonctionne',
  ],
  es: [
    'el',
    'la',
    'los',
    'y',
    'es',
    'no',
    'mi',
    'con',
    'para',
    'una',
    'por',
    'favor',
    'hola',
    'gracias',
    'funciona',
    'puedo',
  ],
  it: [
    'il',
    'lo',
    'gli',
    'e',
    'non',
    'mio',
    'mia',
    'con',
    'per',
    'una',
    'grazie',
    'ciao',
    'funziona',
    'posso',
    'sono',
  ],
  nl: [
    'de',
    'het',
    'en',
    'is',
    'niet',
    'ik',
    'mijn',
    'met',
    'voor',
    'een',
    'alsjeblieft',
    'werkt',
    'kan',
    'hallo',
  ],
  pt: [
    'o',
    'os',
    'e',
    'não',
    'meu',
    'minha',
    'com',
    'para',
    'uma',
    'obrigado',
    'olá',
    'funciona',
    'posso',
    'está',
  ],
  ro: [
    'si',
    'și',
    'la',
    'nu',
    'va',
    'vă',
    'rog',
    'pentru',
    'cu',
    'este',
    'sa',
    'să',
    'multumesc',
    'mulțumesc',
    'buna',
    'ziua',
    'ca',
    'fie',
    'inca',
    'intra',
  ],
  pl: ['i', 'nie', 'jest', 'mój', 'moja', 'z', 'dla', 'proszę', 'dzień', 'dobry', 'działa', 'mogę', 'się'],
};
const LANGUAGE_OF = new Map<string, string[]>();
for (const [lang, words] of Object.entries(STOP_WORDS)) {
  for (const word of words) LANGUAGE_OF.set(word, [...(LANGUAGE_OF.get(word) ?? []), lang]);
}

/** ISO 639-1 guess from stop-word hits; English unless another language clearly wins. */
export function languageOf(text: string): string {
  const scores = new Map<string, number>();
  const words = text.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  for (const word of words) {
    for (const lang of LANGUAGE_OF.get(word) ?? []) scores.set(lang, (scores.get(lang) ?? 0) + 1);
  }
  const english = scores.get('en') ?? 0;
  let best = 'en';
  let bestScore = english;
  for (const [lang, score] of scores) {
    if (score > bestScore) {
      best = lang;
      bestScore = score;
    }
  }
  // Short English fragments often contain a "la" or "si"; another language must clearly dominate.
  return best !== 'en' && bestScore >= 2 && (bestScore - english) / Math.max(1, words.length) >= 0.25
    ? best
    : 'en';
}
