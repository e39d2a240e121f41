import { type Kysely, sql } from 'kysely';

// Frozen in time: never import app code here. The value lists below copy what the code writes on
// this date (src/core/tickets/ticket.ts CATEGORIES and STATUSES, src/core/sla/sla.table.ts
// AlertTarget and StoredAlertKind, MAX_LEVEL in src/core/sla/worker-settings.ts); a later change to
// those lists needs a migration of its own.
//
// Integrity and scale:
// - Indexes for lookups that were sequential scans: ticket_threads(card_outbox_id) (read after every
//   card delivery), outbox(ticket_id) and tickets(assignee_id) (also what their foreign keys need
//   when a ticket or a person is deleted).
// - outbox.ticket_id references tickets, ON DELETE SET NULL: the outbox is a delivery log whose
//   rows outlive the ticket they mention (thread_of/update_of chains may cross tickets, so a cascade
//   could be refused), and a delivery with no ticket already skips the timeline note.
// - tickets.source_event_id becomes ON DELETE SET NULL, so old inbound events can be purged.
// - CHECK constraints for every value list the code writes (priority and status already had theirs).
//
// Rows an older version left outside these lists are repaired, not refused, and nothing is lost:
// - tickets.category: a known category in other letter case or with spaces is lower-cased and
//   trimmed; anything else becomes 'other'.
// - tickets.csat outside 1..5 becomes null (no rating).
// - tickets.escalation_level is clamped to 0..3.
//   Each such change writes an internal `data_repaired` event on the ticket's timeline with the
//   old value (before) and the new one (after), so `show` tells an agent what was there.
// - ticket_sla.status mirrors the ticket's status: an unknown one is set to the ticket's status.
// - outbox.ticket_id naming a ticket that no longer exists becomes null (what the new foreign key
//   would have done when the ticket was deleted).
// - sla_alerts only records which alerts were already posted; a row with an unknown target, kind
//   or level is kept as it is and its constraint stays NOT VALID (checked for every new row), with
//   a comment on the constraint saying so; a clean table gets the constraint validated.
// `down` removes the constraints, the foreign key and the indexes and restores the original
// source_event_id key; repaired values stay repaired.

const CATEGORIES = ['access', 'hardware', 'software', 'network', 'email', 'printing', 'security', 'other'];
const TICKET_STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'];
const ALERT_TARGETS = ['first_response', 'resolution', 'lifecycle'];
const ALERT_KINDS = ['warning', 'breach', 'escalation', 'page', 'nudge', 'auto-resolve', 'auto-close'];
const MAX_LEVEL = 3;

const list = (values: string[]) => values.map((value) => `'${value}'`).join(', ');

interface Check {
  table: string;
  name: string;
  condition: string;
}

const CHECKS: Check[] = [
  { table: 'tickets', name: 'tickets_category_check', condition: `category in (${list(CATEGORIES)})` },
  { table: 'tickets', name: 'tickets_csat_check', condition: 'csat between 1 and 5' },
  {
    table: 'tickets',
    name: 'tickets_escalation_level_check',
    condition: `escalation_level between 0 and ${MAX_LEVEL}`,
  },
  { table: 'ticket_sla', name: 'ticket_sla_status_check', condition: `status in (${list(TICKET_STATUSES)})` },
  { table: 'sla_alerts', name: 'sla_alerts_target_check', condition: `target in (${list(ALERT_TARGETS)})` },
  { table: 'sla_alerts', name: 'sla_alerts_kind_check', condition: `kind in (${list(ALERT_KINDS)})` },
  { table: 'sla_alerts', name: 'sla_alerts_level_check', condition: `level between 0 and ${MAX_LEVEL}` },
];

/**
 * Sets one ticket column to `fixed(old)` wherever `valid(old)` is false, noting each change on the
 * ticket's timeline; both get the qualified column of the row as it was.
 */
async function repairTickets(
  db: Kysely<any>,
  column: string,
  valid: (ref: string) => string,
  fixed: (ref: string) => string,
): Promise<void> {
  await sql
    .raw(
      `with repaired as (
        update tickets t set ${column} = ${fixed(`old.${column}`)}
        from tickets old
        where old.id = t.id and not (${valid(`old.${column}`)})
        returning t.id, to_jsonb(old.${column}) as was, to_jsonb(t.${column}) as became
      )
      insert into ticket_events (ticket_id, actor_id, type, visibility, before, after, body, created_at)
      select id, null, 'data_repaired', 'internal',
        jsonb_build_object('${column}', was), jsonb_build_object('${column}', became),
        '${column} ' || coalesce(was::text, 'null') || ' is not a value the helpdesk accepts; the '
          || '2026-12-04 integrity migration set it to ' || coalesce(became::text, 'null') || '.',
        now()
      from repaired`,
    )
    .execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('ticket_threads_card_outbox_idx')
    .on('ticket_threads')
    .column('card_outbox_id')
    .where(sql.ref('card_outbox_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('outbox_ticket_idx')
    .on('outbox')
    .column('ticket_id')
    .where(sql.ref('ticket_id'), 'is not', null)
    .execute();
  await db.schema.createIndex('tickets_assignee_idx').on('tickets').column('assignee_id').execute();

  await sql`update outbox set ticket_id = null
    where ticket_id is not null and not exists (select 1 from tickets where tickets.id = outbox.ticket_id)`.execute(
    db,
  );
  await db.schema
    .alterTable('outbox')
    .addForeignKeyConstraint('outbox_ticket_id_fkey', ['ticket_id'], 'tickets', ['id'])
    .onDelete('set null')
    .execute();

  await db.schema.alterTable('tickets').dropConstraint('tickets_source_event_id_fkey').execute();
  await db.schema
    .alterTable('tickets')
    .addForeignKeyConstraint('tickets_source_event_id_fkey', ['source_event_id'], 'inbound_events', ['id'])
    .onDelete('set null')
    .execute();

  const known = list(CATEGORIES);
  await repairTickets(
    db,
    'category',
    (ref) => `${ref} in (${known})`,
    (ref) => `case when lower(btrim(${ref})) in (${known}) then lower(btrim(${ref})) else 'other' end`,
  );
  await repairTickets(
    db,
    'csat',
    (ref) => `${ref} between 1 and 5`,
    () => 'null',
  );
  await repairTickets(
    db,
    'escalation_level',
    (ref) => `${ref} between 0 and ${MAX_LEVEL}`,
    (ref) => `greatest(0, least(${MAX_LEVEL}, ${ref}))`,
  );
  await sql
    .raw(
      `update ticket_sla s set status = t.status from tickets t
      where t.id = s.ticket_id and s.status not in (${list(TICKET_STATUSES)})`,
    )
    .execute(db);

  for (const check of CHECKS) {
    await sql
      .raw(`alter table ${check.table} add constraint ${check.name} check (${check.condition}) not valid`)
      .execute(db);
    const left = await sql
      .raw<{ n: number }>(`select count(*)::int as n from ${check.table} where not (${check.condition})`)
      .execute(db);
    const n = Number(left.rows[0]?.n ?? 0);
    if (n === 0) {
      await sql.raw(`alter table ${check.table} validate constraint ${check.name}`).execute(db);
    } else {
      await sql
        .raw(
          `comment on constraint ${check.name} on ${check.table} is 'NOT VALID: ${n} row(s) from an older version were kept as they were; new rows are checked. Review them, then: alter table ${check.table} validate constraint ${check.name}'`,
        )
        .execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const check of [...CHECKS].reverse()) {
    await db.schema.alterTable(check.table).dropConstraint(check.name).ifExists().execute();
  }
  await db.schema.alterTable('tickets').dropConstraint('tickets_source_event_id_fkey').execute();
  await db.schema
    .alterTable('tickets')
    .addForeignKeyConstraint('tickets_source_event_id_fkey', ['source_event_id'], 'inbound_events', ['id'])
    .execute();
  await db.schema.alterTable('outbox').dropConstraint('outbox_ticket_id_fkey').ifExists().execute();
  for (const index of ['tickets_assignee_idx', 'outbox_ticket_idx', 'ticket_threads_card_outbox_idx']) {
    await db.schema.dropIndex(index).ifExists().execute();
  }
}
