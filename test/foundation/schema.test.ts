/**
 * The integrity migration on both databases the app runs on (the real Postgres and embedded
 * PGlite): rows an older version left are repaired, every value the code writes is accepted and
 * anything else refused, the foreign keys act as designed, the indexes exist and `down` works.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, type Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/app/database.ts';
import { migrateToLatest, migratorFor } from '../../src/app/migrate.ts';
import type { AlertTarget, StoredAlertKind } from '../../src/core/sla/sla.table.ts';
import { CATEGORIES, PRIORITIES, STATUSES } from '../../src/core/tickets/ticket.ts';
import { MAX_LEVEL } from '../../src/core/timers/settings.ts';
import { dropSchema, testConfig } from '../support/db.ts';

const BEFORE = '2026_11_27_1000_inbound_lanes';
const INTEGRITY = '2026_12_04_0900_integrity';

// Records, so that a value added to the code's unions without a migration fails to compile here.
const ALERT_TARGETS = Object.keys({
  first_response: true,
  resolution: true,
  lifecycle: true,
} satisfies Record<AlertTarget, true>) as AlertTarget[];
const ALERT_KINDS = Object.keys({
  warning: true,
  breach: true,
  escalation: true,
  page: true,
  nudge: true,
  'auto-resolve': true,
  'auto-close': true,
} satisfies Record<StoredAlertKind, true>) as StoredAlertKind[];

const NEW_CHECKS = [
  'tickets_category_check',
  'tickets_csat_check',
  'tickets_escalation_level_check',
  'ticket_sla_status_check',
  'sla_alerts_target_check',
  'sla_alerts_kind_check',
  'sla_alerts_level_check',
];
const NEW_INDEXES = ['ticket_threads_card_outbox_idx', 'outbox_ticket_idx', 'tickets_assignee_idx'];

interface Backend {
  name: string;
  open(): Promise<{ database: Database; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'Postgres',
    async open() {
      const config = testConfig();
      const database = await openDatabase(config, { poolSize: 2 });
      return { database, cleanup: () => dropSchema(config.DATABASE_SCHEMA) };
    },
  },
  {
    name: 'PGlite (embedded)',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'helpdesk-schema-'));
      const database = await openDatabase(testConfig({ DATABASE_URL: '', DATA_DIR: dir }), { poolSize: 2 });
      return { database, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
];

/** The Postgres error a statement failed with: its SQLSTATE and the constraint it broke. */
async function refusal(promise: Promise<unknown>): Promise<{ code?: string; constraint?: string }> {
  try {
    await promise;
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    return { code, constraint };
  }
  throw new Error('the statement was accepted');
}

describe.each(backends)('the integrity migration on $name', (backend) => {
  let database: Database;
  let cleanup: () => Promise<void>;
  let db: Kysely<any>;
  let migrator: Migrator;
  let requester: number;
  let legacy: { cased: number; unknown: number; clean: number; event: number; alert: number };

  const now = new Date('2026-12-01T10:00:00Z');
  const ticket = (values: Record<string, unknown> = {}) =>
    db
      .insertInto('tickets')
      .values({
        requester_id: requester,
        title: 'printer on fire',
        description: 'it is on fire',
        priority: 'P3',
        status: 'new',
        created_at: now,
        updated_at: now,
        ...values,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((row) => row.id as number);
  const alert = (ticketId: number, values: Record<string, unknown>) =>
    db
      .insertInto('sla_alerts')
      .values({
        ticket_id: ticketId,
        target: 'resolution',
        kind: 'breach',
        due_at: now,
        created_at: now,
        ...values,
      })
      .execute();
  const outbox = (key: string, ticketId: number | null) =>
    db
      .insertInto('outbox')
      .values({
        idempotency_key: key,
        platform: 'console',
        op: 'post',
        target: JSON.stringify({ platform: 'console', tenant: 'local', channel: 'triage' }),
        lane: 'console:triage:',
        body: JSON.stringify({ message: { text: 'hi' } }),
        ticket_id: ticketId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((row) => row.id as number);
  const inboundEvent = (eventId: string) =>
    db
      .insertInto('inbound_events')
      .values({ platform: 'console', event_id: eventId, kind: 'message', payload: JSON.stringify({}) })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((row) => row.id as number);
  const constraints = () =>
    sql<{ name: string; validated: boolean; comment: string | null }>`
      select conname as name, convalidated as validated, obj_description(oid, 'pg_constraint') as comment
      from pg_constraint where connamespace = current_schema()::regnamespace`
      .execute(db)
      .then((r) => new Map(r.rows.map((row) => [row.name, row])));
  const indexes = () =>
    sql<{ indexname: string }>`select indexname from pg_indexes where schemaname = current_schema()`
      .execute(db)
      .then((r) => r.rows.map((row) => row.indexname));
  const deleteRule = (name: string) =>
    sql<{ rule: string }>`select delete_rule as rule from information_schema.referential_constraints
      where constraint_schema = current_schema() and constraint_name = ${name}`
      .execute(db)
      .then((r) => r.rows[0]?.rule);

  beforeAll(async () => {
    ({ database, cleanup } = await backend.open());
    db = database.db as unknown as Kysely<any>;
    migrator = await migratorFor(db);
    const before = await migrator.migrateTo(BEFORE);
    if (before.error) throw before.error;

    // What an older version could have left behind, written before the constraints exist.
    requester = (
      await db
        .insertInto('people')
        .values({ email: 'alice@example.com', display_name: 'Alice' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const event = await inboundEvent('legacy-1');
    const cased = await ticket({ category: ' Network ', csat: 9, escalation_level: 7, status: 'resolved' });
    const unknown = await ticket({ category: 'facilities', csat: 0, escalation_level: -1 });
    const clean = await ticket({
      category: 'printing',
      csat: 4,
      escalation_level: 2,
      source_event_id: event,
    });
    await db
      .insertInto('ticket_sla')
      .values({ ticket_id: cased, status: 'archived', status_since: now, updated_at: now })
      .execute();
    await alert(cased, { kind: 'reminder' });
    const alertRow = await db.selectFrom('sla_alerts').select('id').executeTakeFirstOrThrow();
    await outbox('orphan', 999_999);
    legacy = { cased, unknown, clean, event, alert: alertRow.id as number };

    const { error, results } = await migrator.migrateTo(INTEGRITY);
    if (error) throw error;
    expect(results?.map((r) => [r.migrationName, r.status])).toEqual([[INTEGRITY, 'Success']]);
    const latest = await migrateToLatest(db);
    if (latest.error) throw latest.error;
  }, 120_000);

  afterAll(async () => {
    await database?.close();
    await cleanup?.();
  });

  describe('rows an older version left', () => {
    it('repairs ticket values and notes each repair on the ticket timeline', async () => {
      const rows = await db
        .selectFrom('tickets')
        .select(['id', 'category', 'csat', 'escalation_level'])
        .orderBy('id')
        .execute();
      expect(rows).toEqual([
        { id: legacy.cased, category: 'network', csat: null, escalation_level: MAX_LEVEL },
        { id: legacy.unknown, category: 'other', csat: null, escalation_level: 0 },
        { id: legacy.clean, category: 'printing', csat: 4, escalation_level: 2 },
      ]);
      const events = await db
        .selectFrom('ticket_events')
        .select(['ticket_id', 'type', 'visibility', 'before', 'after', 'body'])
        .orderBy('id')
        .execute();
      expect(events.every((e) => e.type === 'data_repaired' && e.visibility === 'internal')).toBe(true);
      expect(events.map((e) => [e.ticket_id, e.before, e.after])).toEqual(
        expect.arrayContaining([
          [legacy.cased, { category: ' Network ' }, { category: 'network' }],
          [legacy.unknown, { category: 'facilities' }, { category: 'other' }],
          [legacy.cased, { csat: 9 }, { csat: null }],
          [legacy.unknown, { csat: 0 }, { csat: null }],
          [legacy.cased, { escalation_level: 7 }, { escalation_level: 3 }],
          [legacy.unknown, { escalation_level: -1 }, { escalation_level: 0 }],
        ]),
      );
      expect(events).toHaveLength(6);
      expect(events[0]?.body).toContain('set it to');
    });

    it('aligns SLA bookkeeping with the ticket and unlinks outbox rows of tickets that are gone', async () => {
      const sla = await db.selectFrom('ticket_sla').select('status').executeTakeFirstOrThrow();
      expect(sla.status).toBe('resolved');
      const orphan = await db
        .selectFrom('outbox')
        .select('ticket_id')
        .where('idempotency_key', '=', 'orphan')
        .executeTakeFirstOrThrow();
      expect(orphan.ticket_id).toBeNull();
    });

    it('keeps an alert row of an unknown kind, leaving only that constraint NOT VALID with a comment', async () => {
      const kept = await db.selectFrom('sla_alerts').select('kind').where('id', '=', legacy.alert).execute();
      expect(kept).toEqual([{ kind: 'reminder' }]);
      const all = await constraints();
      for (const name of NEW_CHECKS) {
        expect(all.get(name)?.validated, name).toBe(name !== 'sla_alerts_kind_check');
      }
      expect(all.get('sla_alerts_kind_check')?.comment).toMatch(/^NOT VALID: 1 row\(s\)/);
      // New rows are checked all the same.
      expect(await refusal(alert(legacy.clean, { kind: 'reminder', due_at: new Date() }))).toEqual({
        code: '23514',
        constraint: 'sla_alerts_kind_check',
      });
    });
  });

  describe('check constraints', () => {
    it('accept every value the code writes', async () => {
      for (const category of CATEGORIES) await ticket({ category });
      for (const status of STATUSES) await ticket({ status });
      for (const priority of PRIORITIES) await ticket({ priority });
      for (const csat of [null, 1, 2, 3, 4, 5]) await ticket({ csat });
      for (let level = 0; level <= MAX_LEVEL; level++) await ticket({ escalation_level: level });

      const id = await ticket();
      for (const status of STATUSES) {
        await db
          .insertInto('ticket_sla')
          .values({ ticket_id: id, status, status_since: now, updated_at: now })
          .onConflict((oc) => oc.column('ticket_id').doUpdateSet({ status }))
          .execute();
      }
      for (const target of ALERT_TARGETS) {
        for (const kind of ALERT_KINDS) {
          for (let level = 0; level <= MAX_LEVEL; level++) await alert(id, { target, kind, level });
        }
      }
      const count = await db
        .selectFrom('sla_alerts')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('ticket_id', '=', id)
        .executeTakeFirstOrThrow();
      expect(count.n).toBe(ALERT_TARGETS.length * ALERT_KINDS.length * (MAX_LEVEL + 1));
    });

    it.each([
      ['an unknown category', { category: 'facilities' }, 'tickets_category_check'],
      ['a category in other letter case', { category: 'Network' }, 'tickets_category_check'],
      ['a CSAT of 6', { csat: 6 }, 'tickets_csat_check'],
      ['a CSAT of 0', { csat: 0 }, 'tickets_csat_check'],
      [
        'an escalation level above the ladder',
        { escalation_level: MAX_LEVEL + 1 },
        'tickets_escalation_level_check',
      ],
      ['a negative escalation level', { escalation_level: -1 }, 'tickets_escalation_level_check'],
      ['an unknown status', { status: 'archived' }, 'tickets_status_check'],
      ['an unknown priority', { priority: 'P0' }, 'tickets_priority_check'],
    ])('refuse a ticket with %s', async (_, values, constraint) => {
      expect(await refusal(ticket(values))).toEqual({ code: '23514', constraint });
    });

    it('refuse SLA rows the code never writes', async () => {
      const id = await ticket();
      expect(
        await refusal(
          db
            .insertInto('ticket_sla')
            .values({ ticket_id: id, status: 'breached', status_since: now, updated_at: now })
            .execute(),
        ),
      ).toEqual({ code: '23514', constraint: 'ticket_sla_status_check' });
      expect(await refusal(alert(id, { target: 'response' }))).toEqual({
        code: '23514',
        constraint: 'sla_alerts_target_check',
      });
      expect(await refusal(alert(id, { kind: 'auto_close' }))).toEqual({
        code: '23514',
        constraint: 'sla_alerts_kind_check',
      });
      expect(await refusal(alert(id, { kind: 'escalation', level: MAX_LEVEL + 1 }))).toEqual({
        code: '23514',
        constraint: 'sla_alerts_level_check',
      });
    });
  });

  describe('foreign keys', () => {
    it('let an inbound event be purged: the ticket it filed keeps going with no source event', async () => {
      const event = await inboundEvent('purge-me');
      const id = await ticket({ source_event_id: event });
      await db.deleteFrom('inbound_events').where('id', '=', event).execute();
      const row = await db
        .selectFrom('tickets')
        .select('source_event_id')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.source_event_id).toBeNull();
      expect(await deleteRule('tickets_source_event_id_fkey')).toBe('SET NULL');
    });

    it('tie outbox rows to real tickets and keep them, unlinked, when the ticket is deleted', async () => {
      expect(await refusal(outbox('no-such-ticket', 999_999))).toEqual({
        code: '23503',
        constraint: 'outbox_ticket_id_fkey',
      });
      const id = await ticket();
      const row = await outbox('about-a-ticket', id);
      await db.deleteFrom('tickets').where('id', '=', id).execute();
      const kept = await db
        .selectFrom('outbox')
        .select('ticket_id')
        .where('id', '=', row)
        .executeTakeFirstOrThrow();
      expect(kept.ticket_id).toBeNull();
      expect(await deleteRule('outbox_ticket_id_fkey')).toBe('SET NULL');
    });
  });

  it('creates the three indexes', async () => {
    expect(await indexes()).toEqual(expect.arrayContaining(NEW_INDEXES));
  });

  it('migrates down and up again, repairing what was written in between', async () => {
    await db.deleteFrom('sla_alerts').where('id', '=', legacy.alert).execute();
    const down = await migrator.migrateTo(BEFORE);
    if (down.error) throw down.error;
    expect(down.results?.map((r) => [r.migrationName, r.direction, r.status])).toContainEqual([
      INTEGRITY,
      'Down',
      'Success',
    ]);

    const names = await constraints();
    for (const name of [...NEW_CHECKS, 'outbox_ticket_id_fkey']) expect(names.has(name), name).toBe(false);
    expect(await deleteRule('tickets_source_event_id_fkey')).toBe('NO ACTION');
    const left = await indexes();
    for (const name of NEW_INDEXES) expect(left, name).not.toContain(name);
    // Without the constraints the old values go in again...
    const id = await ticket({ category: 'EMAIL', csat: 11 });

    const up = await migrateToLatest(db);
    if (up.error) throw up.error;
    expect(up.applied).toContain(INTEGRITY);
    // ...and the migration repairs them; this time every constraint is validated.
    const row = await db
      .selectFrom('tickets')
      .select(['category', 'csat'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ category: 'email', csat: null });
    const all = await constraints();
    for (const name of NEW_CHECKS) expect(all.get(name)?.validated, name).toBe(true);
    expect(await deleteRule('tickets_source_event_id_fkey')).toBe('SET NULL');
    expect(await indexes()).toEqual(expect.arrayContaining(NEW_INDEXES));
    expect(await refusal(ticket({ category: 'facilities' }))).toEqual({
      code: '23514',
      constraint: 'tickets_category_check',
    });
  });
});
