/** The languages the helpdesk speaks, and how a code from anywhere (a model, a locale) maps to one. */

export const LANGUAGES = ['en', 'de', 'fr', 'es', 'pt'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Said when nothing better is known, and the text behind every key another language lacks. */
export const FALLBACK_LANGUAGE: Language = 'en';

/**
 * The supported language a code names: an ISO 639-1 code or a locale in any case and separator
 * (`de`, `de-DE`, `pt_BR`, `FR`); undefined for anything else.
 */
export function toLanguage(code: string | null | undefined): Language | undefined {
  const base = code?.trim().toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.find((language) => language === base);
}
