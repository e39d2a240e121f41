/**
 * A person's export: one JSON document with everything stored about them. Tickets they requested
 * come with their whole timeline, internal notes included and marked `internal` (notes about a
 * person are their personal data too; an admin who must withhold a colleague's note filters them).
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { type DbOrTx, json } from '../db.ts';
import { collectSubject } from './subject.ts';

export const EXPORT_FORMAT = 'helpdesk-privacy-export/1';
/** A download link works once, within this time. */
export const EXPORT_LINK_TTL_MS = 15 * 60_000;

export async function exportPerson(
  db: DbOrTx,
  personId: number,
  at: Date,
  variants: (text: string) => string[] = () => [],
): Promise<Record<string, unknown>> {
  const subject = await collectSubject(db, personId);
  const person = await db
    .selectFrom('people')
    .leftJoin('roles', 'roles.person_id', 'people.id')
    .select([
      'people.id',
      'people.display_name',
      'people.email',
      'people.language',
      'people.created_at',
      'roles.role',
      'roles.granted_at',
    ])
    .where('people.id', '=', personId)
    .executeTakeFirstOrThrow();
  const tickets = await db
    .selectFrom('tickets')
    .selectAll()
    .where('requester_id', '=', personId)
    .orderBy('number')
    .execute();
  const ticketIds = tickets.map((t) => t.id);
  const timeline = ticketIds.length
    ? await db
        .selectFrom('ticket_events')
        .leftJoin('people', 'people.id', 'ticket_events.actor_id')
        .select([
          'ticket_events.ticket_id',
          'ticket_events.type',
          'ticket_events.visibility',
          'ticket_events.body',
          'ticket_events.before',
          'ticket_events.after',
          'ticket_events.created_at',
          'people.display_name as actor',
        ])
        .where('ticket_events.ticket_id', 'in', ticketIds)
        .orderBy('ticket_events.id')
        .execute()
    : [];
  const attachments = ticketIds.length
    ? await db
        .selectFrom('ticket_attachments')
        .select(['ticket_id', 'name', 'content_type', 'size_bytes', 'url', 'visibility', 'created_at'])
        .where('ticket_id', 'in', ticketIds)
        .orderBy('id')
        .execute()
    : [];
  const messages = await db
    .selectFrom('ticket_events')
    .innerJoin('tickets', 'tickets.id', 'ticket_events.ticket_id')
    .select([
      'tickets.number as ticket',
      'ticket_events.type',
      'ticket_events.visibility',
      'ticket_events.body',
      'ticket_events.created_at',
    ])
    .where('ticket_events.actor_id', '=', personId)
    .where('ticket_events.body', 'is not', null)
    .orderBy('ticket_events.id')
    .execute();
  const events = subject.eventIds.length
    ? await db
        .selectFrom('inbound_events')
        .select(['platform', 'kind', 'payload', 'status', 'received_at'])
        .where('id', 'in', subject.eventIds)
        .orderBy('id')
        .execute()
    : [];
  const conversations = subject.conversationIds.length
    ? await db
        .selectFrom('conversations')
        .select(['platform', 'channel', 'thread', 'is_direct', 'state', 'updated_at'])
        .where('id', 'in', subject.conversationIds)
        .orderBy('id')
        .execute()
    : [];
  const answers = await db
    .selectFrom('kb_answers')
    .select(['question', 'answer', 'article_ids', 'outcome', 'created_at', 'decided_at'])
    .where('requester_id', '=', personId)
    .orderBy('id')
    .execute();
  const audit = await db
    .selectFrom('audit_log')
    .select(['action', 'target', 'before', 'after', 'created_at'])
    .where('actor_id', '=', personId)
    .orderBy('id')
    .execute();
  // Model calls are not linked to people: those whose recorded input quotes what the person wrote.
  const quoted = [...new Set(subject.texts.flatMap((t) => [t, ...variants(t)]))].filter(
    (t) => t.length >= 12,
  );
  const llmCalls = quoted.length
    ? await db
        .selectFrom('llm_calls')
        .select(['model', 'purpose', 'outcome', 'input', 'created_at'])
        .where(
          'input',
          'ilike',
          sql<string>`any(${sql.val(quoted.map((t) => `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`))}::text[])`,
        )
        .orderBy('id')
        .execute()
    : [];
  const ids = subject.identities.map((i) => i.user_id);
  const settings = ids.length
    ? await db
        .selectFrom('settings')
        .select(['key', 'value'])
        .where(sql<string>`value->>'userId'`, 'in', ids)
        .execute()
    : [];

  const byTicket = <T extends { ticket_id: number }>(rows: T[], id: number) =>
    rows.filter((row) => row.ticket_id === id).map(({ ticket_id: _, ...rest }) => rest);
  return {
    format: EXPORT_FORMAT,
    exportedAt: at.toISOString(),
    person: {
      id: person.id,
      displayName: person.display_name,
      email: person.email,
      language: person.language,
      createdAt: person.created_at,
      role: person.role ?? 'requester',
      roleGrantedAt: person.granted_at ?? null,
    },
    identities: subject.identities,
    aliases: subject.aliases,
    tickets: tickets.map((t) => ({
      number: t.number,
      title: t.title,
      description: t.description,
      category: t.category,
      priority: t.priority,
      status: t.status,
      resolution: t.resolution,
      csat: t.csat,
      createdAt: t.created_at,
      firstResponseAt: t.first_response_at,
      resolvedAt: t.resolved_at,
      closedAt: t.closed_at,
      timeline: byTicket(timeline, t.id),
      attachments: byTicket(attachments, t.id),
    })),
    ratings: tickets.filter((t) => t.csat !== null).map((t) => ({ ticket: t.number, csat: t.csat })),
    messages,
    inboundEvents: events,
    conversations,
    knowledgeAnswers: answers,
    auditEntries: audit,
    llmCalls,
    settings,
  };
}

/** Stores an export for one download and returns the token for its link (only its hash is kept). */
export async function storeExport(
  db: DbOrTx,
  input: { subjectId: number; requestedBy: number | null; document: unknown; at: Date },
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('privacy_exports')
    .values({
      token_hash: hashToken(token),
      subject_person_id: input.subjectId,
      requested_by: input.requestedBy,
      document: json(input.document),
      created_at: input.at,
      expires_at: new Date(input.at.getTime() + EXPORT_LINK_TTL_MS),
    })
    .execute();
  return token;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Takes an export by its token: the row is deleted as it is read, so a link works once. */
export async function takeExport(db: DbOrTx, token: string, now: Date): Promise<unknown> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const row = await db
    .deleteFrom('privacy_exports')
    .where('token_hash', '=', hashToken(token))
    .returning(['document', 'expires_at'])
    .executeTakeFirst();
  if (!row || row.expires_at.getTime() <= now.getTime()) return undefined;
  return row.document;
}
