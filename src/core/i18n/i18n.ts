/**
 * Message catalogues: `messagesFor(language)` is the catalogue to speak in, English for any key the
 * language lacks. Adding a key: write it in en.ts (the compiler then accepts it everywhere), then
 * in the other languages; adding a language: a catalogue file here, listed in LANGUAGES and below.
 */
import { de } from './de.ts';
import { type Catalogue, en, type Messages } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import { FALLBACK_LANGUAGE, type Language, toLanguage } from './languages.ts';
import { pt } from './pt.ts';

export const CATALOGUES: Readonly<Record<Language, Catalogue>> = { en, de, fr, es, pt };

const merged = new Map<Language, Messages>();

/** The texts for a language code (or locale); English for an unknown code and for any missing key. */
export function messagesFor(code: string | null | undefined): Messages {
  const language = toLanguage(code) ?? FALLBACK_LANGUAGE;
  let messages = merged.get(language);
  if (!messages) {
    messages = withFallback(CATALOGUES[language]);
    merged.set(language, messages);
  }
  return messages;
}

/** A catalogue with English filling every key it lacks (refusal codes one by one). */
export function withFallback(own: Catalogue): Messages {
  return { ...en, ...own, refusals: { ...en.refusals, ...own.refusals } } as Messages;
}

/** The keys a catalogue lacks (refusal codes as `refusals.<code>`), for the completeness test. */
export function missingKeys(own: Catalogue): string[] {
  const missing = Object.keys(en).filter((key) => key !== 'refusals' && !(key in own));
  for (const code of Object.keys(en.refusals))
    if (!own.refusals || !(code in own.refusals)) missing.push(`refusals.${code}`);
  return missing;
}

export type { Messages } from './en.ts';
export { LANGUAGES, type Language, toLanguage } from './languages.ts';
