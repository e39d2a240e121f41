/** Text features for the local models: wink-nlp lemmas, sentiment and a stop-word language guess. */

import model from 'wink-eng-lite-web-model';
import winkNLP from 'wink-nlp';
import {
  foldUmlauts,
  GERMAN_EVIDENCE,
  hanBigrams,
  hanShare,
  splitCompound,
  toEnglishWords,
} from './language.ts';

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
  /** Topical lemmas of the mail subject (the text before ` :: `); empty for a chat message. */
  subject: string[];
  /** Topical lemmas after the subject (the whole text for a chat message). */
  body: string[];
  /** wink-nlp's sentiment score of the text, -1..1. */
  sentiment: number;
}

// The guard's placeholders (`[email]`, `[phone]`, ...) stand for data, not topics: a signature's
// redacted address must not read as the word "email". They become tokens like `<email>`.
const PLACEHOLDER = /\[(secret|email|iban|card|password|code|ip|phone)\]/g;
const PLACEHOLDER_WORD = /^placeholder(\w+)x$/;

/**
 * Lemmatised content tokens and bigrams of a (redacted) text. German and Chinese IT words are read
 * as their English equivalents first (language.ts), and Chinese text adds character bigrams.
 */
export function featuresOf(text: string): Features {
  const language = languageOf(text);
  const split = text.indexOf(' :: ');
  const parts = split >= 0 ? [text.slice(0, split), text.slice(split + 4)] : [text];
  const english = parts.map((part) => toEnglishWords(part, language).trim() || '.').join(' :: ');
  // One wink-nlp pass over the whole text; ` :: ` becomes a same-length full stop so that token
  // offsets still tell the subject from the body.
  const prepared = english.toLowerCase().replace(PLACEHOLDER, ' placeholder$1x ');
  const cut = split >= 0 ? prepared.indexOf(' :: ') : -1;
  const doc = nlp.readDoc(prepared.replace(/\s::\s/g, ' .  '));
  const subjectWords: string[] = [];
  const bodyWords: string[] = [];
  let offset = 0;
  doc.tokens().each((token: any) => {
    offset += token.out(its.precedingSpaces).length;
    const start = offset;
    offset += token.out().length;
    const type = token.out(its.type);
    if (type !== 'word' && type !== 'number') return;
    const normal: string = token.out(its.normal);
    if (token.out(its.stopWordFlag) && !KEEP.has(normal)) return;
    const words = start < cut ? subjectWords : bodyWords;
    const placeholder = PLACEHOLDER_WORD.exec(normal);
    if (placeholder) words.push(`<${placeholder[1]}>`);
    else if (type === 'number') words.push('<num>');
    else words.push(normal === "n't" ? 'not' : token.out(its.lemma));
  });
  if (split >= 0) {
    subjectWords.push(...hanBigrams(parts[0]!));
    bodyWords.push(...hanBigrams(parts[1]!));
  } else bodyWords.push(...hanBigrams(text));
  const words = [...subjectWords, ...bodyWords];
  const topical = (list: string[]) => list.filter((w) => !NOISE.has(w));
  const topicalWords = topical(words);
  return {
    words: topicalWords,
    features: withBigrams(words),
    topical: withBigrams(topicalWords),
    subject: topical(subjectWords),
    body: topical(bodyWords),
    sentiment: Number(doc.out(its.sentiment)),
  };
}

/** The words plus their adjacent pairs (`a_b`), deduplicated. */
export function withBigrams(words: string[]): string[] {
  const set = new Set(words);
  for (let i = 0; i + 1 < words.length; i++) set.add(`${words[i]}_${words[i + 1]}`);
  return [...set];
}

/**
 * Character n-grams of each word, padded with `<` and `>` (so "vpn" gives "<vp", "vpn", "pn>", ...)
 * and prefixed with `#`: stripped, misspelt or truncated words still share most of their n-grams
 * with the word the model learnt. Placeholders like `<num>` and words shorter than `min` are skipped.
 * `prefixOnly` keeps the word-initial n-grams ("<vp", "<vpn"): they match inflections and truncations
 * but rarely tie an unknown word (a name, say) to a known one.
 */
export function charNgrams(words: readonly string[], min = 3, max = 5, prefixOnly = false): string[] {
  const grams = new Set<string>();
  for (const word of words) {
    if (word.startsWith('<') || word.includes('_') || word.length < min) continue;
    const padded = `<${word}>`;
    for (let n = min; n <= max; n++) {
      for (let i = 0; i + n <= (prefixOnly ? Math.min(n, padded.length) : padded.length); i++) {
        const gram = padded.slice(i, i + n);
        if (gram !== padded) grams.add(`#${gram}`);
      }
    }
  }
  return [...grams];
}

/** wink-nlp's sentiment score mapped to three labels, with a nudge for frustration cues. */
export function sentimentOf(text: string): 'negative' | 'neutral' | 'positive' {
  return sentimentLabel(Number(nlp.readDoc(text).out(its.sentiment)), text);
}

/** The label for a sentiment score already computed (`Features.sentiment`) of `text`. */
export function sentimentLabel(score: number, text: string): 'negative' | 'neutral' | 'positive' {
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

/** A German word of the lexicon or stop list, or a compound of known German parts. */
function isGermanWord(word: string): boolean {
  if (GERMAN_EVIDENCE.has(foldUmlauts(word)) || /[äöüß]/.test(word)) return true;
  return word.length >= 9 && splitCompound(word) !== undefined;
}

/**
 * ISO 639-1 guess: `zh`, `ja` or `ko` by script, else from stop-word hits (and German IT words);
 * English unless another language clearly wins.
 */
export function languageOf(text: string): string {
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)) return 'ja';
  if (/\p{Script=Hangul}/u.test(text)) return 'ko';
  if (hanShare(text) >= 0.3) return 'zh';
  const scores = new Map<string, number>();
  const words = text.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  for (const word of words) {
    const langs = LANGUAGE_OF.get(word) ?? [];
    for (const lang of langs) scores.set(lang, (scores.get(lang) ?? 0) + 1);
    if (!langs.includes('de') && isGermanWord(word)) scores.set('de', (scores.get('de') ?? 0) + 1);
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
