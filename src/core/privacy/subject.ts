/**
 * The person an export or an erasure is about, and what identifies them: how an operator names
 * them (`alice@example.com`, `slack:U123`), their identities and aliases, and the texts they wrote.
 */
import { sql } from 'kysely';
import { PLATFORMS, type Platform } from '../chat/chat.ts';
import type { DbOrTx } from '../db.ts';
import { findPerson } from '../people/people.service.ts';
import { FORMER_EMPLOYEE_EMAIL } from './anonymise.ts';
import type { Needles } from './sweep.ts';

export type SubjectRef =
  | { kind: 'email'; email: string }
  | { kind: 'identity'; platform: Platform; userId: string };

/** Parses `<email|platform:id>`; undefined when it is neither. */
export function parseSubject(text: string): SubjectRef | undefined {
  const value = text.trim();
  const colon = value.indexOf(':');
  if (colon > 0) {
    const platform = value.slice(0, colon).toLowerCase();
    const userId = value.slice(colon + 1);
    if ((PLATFORMS as readonly string[]).includes(platform) && userId)
      return { kind: 'identity', platform: platform as Platform, userId };
  }
  if (/^[^\s@:]+@[^\s@]+$/.test(value)) return { kind: 'email', email: value.toLowerCase() };
  return undefined;
}

/** The person id behind a reference, or undefined. The shared former-employee person is never a subject. */
export async function findSubject(db: DbOrTx, ref: SubjectRef): Promise<number | undefined> {
  if (ref.kind === 'email' && ref.email === FORMER_EMPLOYEE_EMAIL) return undefined;
  const person =
    ref.kind === 'email'
      ? await findPerson(db, { platform: 'console', email: ref.email })
      : await findPerson(db, { platform: ref.platform, userId: ref.userId });
  if (person?.email === FORMER_EMPLOYEE_EMAIL) return undefined;
  return person?.id;
}

/** Texts shorter than this are not searched for everywhere ("ok", "thanks" are everyone's words). */
export const MIN_TEXT = 12;
/** Names and ids shorter than this are not searched for everywhere. */
export const MIN_WORD = 3;

export interface Subject {
  personId: number;
  displayName: string;
  email: string | null;
  identities: Array<{
    platform: string;
    user_id: string;
    tenant: string;
    display_name: string | null;
    email: string | null;
  }>;
  aliases: Array<{ platform: string; alias: string; user_id: string }>;
  /** Ids of the inbound events the person sent. */
  eventIds: number[];
  /** Ids of the tickets the person requested. */
  ticketIds: number[];
  /** Conversations the person wrote in (from their events). */
  conversationIds: number[];
  /** Everything the person wrote that is stored as text. */
  texts: string[];
}

/** Gathers what identifies a person and what they wrote; reads only. */
export async function collectSubject(db: DbOrTx, personId: number): Promise<Subject> {
  const person = await db
    .selectFrom('people')
    .select(['id', 'display_name', 'email'])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
  const identities = await db
    .selectFrom('identities')
    .select(['platform', 'user_id', 'tenant', 'display_name', 'email'])
    .where('person_id', '=', personId)
    .execute();
  const aliases = await db
    .selectFrom('identity_aliases')
    .select(['platform', 'alias', 'user_id'])
    .where((eb) =>
      eb.or(
        identities.map((identity) =>
          eb.and([eb('platform', '=', identity.platform), eb('user_id', '=', identity.user_id)]),
        ),
      ),
    )
    .execute()
    .then((rows) => (identities.length ? rows : []));
  const senders = [
    ...identities.map((i) => ({ platform: i.platform, id: i.user_id })),
    ...aliases.map((a) => ({ platform: a.platform, id: a.alias })),
  ];
  // Events carry the sender inside the payload: this reads the whole inbox once (erasure is rare).
  const events = senders.length
    ? await db
        .selectFrom('inbound_events')
        .select([
          'id',
          'kind',
          'platform',
          sql<string | null>`payload->>'text'`.as('text'),
          sql<string | null>`payload->'conversation'->>'channel'`.as('channel'),
          sql<string | null>`payload->'conversation'->>'thread'`.as('thread'),
        ])
        .where((eb) =>
          eb.or(
            senders.map((s) =>
              eb.and([eb('platform', '=', s.platform), eb(sql`payload->'sender'->>'userId'`, '=', s.id)]),
            ),
          ),
        )
        .orderBy('id')
        .execute()
    : [];
  const reacted = senders.length
    ? await db
        .selectFrom('inbound_events')
        .select(sql<string | null>`payload->'target'->>'text'`.as('text'))
        .where('kind', '=', 'reaction')
        .where((eb) =>
          eb.or(
            senders.map((s) =>
              eb.and([
                eb('platform', '=', s.platform),
                eb(sql`payload->'target'->'author'->>'userId'`, '=', s.id),
              ]),
            ),
          ),
        )
        .execute()
    : [];
  const channels = [
    ...new Set(events.filter((e) => e.channel).map((e) => `${e.platform}\u0000${e.channel}`)),
  ];
  const conversations = channels.length
    ? await db
        .selectFrom('conversations')
        .select('id')
        .where((eb) =>
          eb.or(
            channels.map((key) => {
              const [platform = '', channel = ''] = key.split('\u0000');
              return eb.and([eb('platform', '=', platform), eb('channel', '=', channel)]);
            }),
          ),
        )
        .execute()
    : [];
  const tickets = await db
    .selectFrom('tickets')
    .select(['id', 'title', 'description'])
    .where('requester_id', '=', personId)
    .execute();
  const written = await db
    .selectFrom('ticket_events')
    .select('body')
    .where('actor_id', '=', personId)
    .where('body', 'is not', null)
    .execute();
  const questions = await db
    .selectFrom('kb_answers')
    .select('question')
    .where('requester_id', '=', personId)
    .execute();
  const texts = [
    ...events.filter((e) => e.kind === 'message').map((e) => e.text),
    ...reacted.map((r) => r.text),
    ...tickets.map((t) => t.description),
    ...written.map((w) => w.body),
    ...questions.map((q) => q.question),
  ]
    .map((text) => text?.trim() ?? '')
    .filter((text) => text.length > 0);
  return {
    personId,
    displayName: person.display_name,
    email: person.email,
    identities,
    aliases,
    eventIds: events.map((e) => e.id),
    ticketIds: tickets.map((t) => t.id),
    conversationIds: conversations.map((c) => c.id),
    texts: [...new Set(texts)],
  };
}

/** What the generic sweep looks for: e-mails and long texts anywhere, names and ids as words. */
export function needlesOf(subject: Subject, variants: (text: string) => string[] = () => []): Needles {
  const emails = [subject.email, ...subject.identities.map((i) => i.email)].filter(
    (e): e is string => typeof e === 'string' && e.length > 0,
  );
  const words = [
    subject.displayName,
    ...subject.identities.flatMap((i) => [i.display_name, i.user_id]),
    ...subject.aliases.map((a) => a.alias),
  ].filter((w): w is string => typeof w === 'string' && w.trim().length >= MIN_WORD);
  const texts = subject.texts
    .flatMap((text) => [text, ...variants(text)])
    .map((text) => text.trim())
    .filter((text) => text.length >= MIN_TEXT);
  return {
    anywhere: [...new Set([...emails, ...texts])],
    words: [...new Set(words.map((w) => w.trim()))],
  };
}
