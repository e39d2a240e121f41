/**
 * Which language to speak: to a requester, the language of their message, else the one they last
 * wrote in, else their platform's locale, else English; to agents, the team's (`config language`).
 */
import type { DbOrTx } from '../db.ts';
import { getSetting } from '../settings/settings.ts';
import type { TicketRow } from '../tickets/ticket.table.ts';
import { type Messages, messagesFor } from './i18n.ts';
import { FALLBACK_LANGUAGE, type Language, toLanguage } from './languages.ts';

/** The setting `config language` writes: the language of cards and triage-channel texts. */
export const TEAM_LANGUAGE_KEY = 'language';

/**
 * A language guess from a message this short says little: "VPN kaputt" reads as English to a
 * stop-word detector. Below this many words an English guess gives way to the locale.
 */
const MIN_ENGLISH_WORDS = 4;

interface LanguageClues {
  /** The ISO 639-1 code triage detected in the message (`en` is also what it says when unsure). */
  detected?: string | undefined;
  /** The message, to weigh an English guess by its length. */
  text?: string | undefined;
  /** The platform's locale for the person (Teams activity `locale`, Slack user `locale`). */
  locale?: string | undefined;
  /** What the person last wrote in (`people.language`). */
  remembered?: string | null | undefined;
}

interface LanguageChoice {
  language: Language;
  /** Whether the choice is news about the person (their message or locale), worth remembering. */
  fresh: boolean;
}

/**
 * The language of a message when it says clearly (a language without texts: English, or the
 * locale's); else the one the person last wrote in; else their locale; else English. A locale is
 * remembered only when nothing else is (a German writer on an English Teams client stays German).
 */
export function chooseLanguage(clues: LanguageClues): LanguageChoice {
  const detected = toLanguage(clues.detected);
  const words = clues.text?.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
  if (detected && (detected !== 'en' || words >= MIN_ENGLISH_WORDS))
    return { language: detected, fresh: true };
  const locale = toLanguage(clues.locale);
  // A message clearly in a language without texts (Italian, Japanese): not a remembered language.
  if (clues.detected && !detected) return { language: locale ?? FALLBACK_LANGUAGE, fresh: false };
  const remembered = toLanguage(clues.remembered);
  if (remembered) return { language: remembered, fresh: false };
  if (locale) return { language: locale, fresh: true };
  return { language: FALLBACK_LANGUAGE, fresh: false };
}

export async function rememberedLanguage(db: DbOrTx, personId: number): Promise<string | null> {
  const row = await db.selectFrom('people').select('language').where('id', '=', personId).executeTakeFirst();
  return row?.language ?? null;
}

/** Keeps the person's language for later notices; a write only when it changed. */
export async function rememberLanguage(db: DbOrTx, personId: number, language: Language): Promise<void> {
  await db
    .updateTable('people')
    .set({ language })
    .where('id', '=', personId)
    .where((eb) => eb.or([eb('language', 'is', null), eb('language', '!=', language)]))
    .execute();
}

/** The language of cards and triage-channel texts: `config language`, English until set. */
export async function teamLanguage(db: DbOrTx): Promise<Language> {
  return toLanguage(await getSetting<string>(db, TEAM_LANGUAGE_KEY)) ?? FALLBACK_LANGUAGE;
}

export async function teamMessages(db: DbOrTx): Promise<Messages> {
  return messagesFor(await teamLanguage(db));
}

/** The texts for a ticket's requester: the language they last wrote in, else the request's. */
export async function requesterMessages(
  db: DbOrTx,
  ticket: Pick<TicketRow, 'requester_id' | 'language'>,
): Promise<Messages> {
  return messagesFor((await rememberedLanguage(db, ticket.requester_id)) ?? ticket.language);
}
