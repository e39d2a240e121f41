/**
 * Erasing a person: their identities go, everything they wrote is replaced, and their rows in other
 * tables are kept for statistics but pointed at the shared "Former employee" person. The erasure is
 * recorded in the audit log with a count per table, never with what was erased.
 */
import { sql } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import type { Tx } from '../db.ts';
import {
  addCount,
  anonymiseTickets,
  type Counts,
  FORMER_EMPLOYEE_NAME,
  formerEmployeeId,
} from './anonymise.ts';
import { collectSubject, needlesOf } from './subject.ts';
import { ERASED, sweep } from './sweep.ts';

export interface EraseActor {
  id: number | null;
  displayName: string;
}

export interface ErasureResult {
  counts: Counts;
}

const n = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint } | undefined) =>
  Number(result?.numUpdatedRows ?? result?.numDeletedRows ?? 0);

interface PeopleReference {
  table: string;
  column: string;
  /** `c` cascade (the person's own rows, deleted with them); anything else is kept and repointed. */
  onDelete: string;
}

/** Every single-column foreign key to people(id) in the schema, so later tables are covered too. */
async function peopleReferences(tx: Tx): Promise<PeopleReference[]> {
  const { rows } = await sql<{ table_name: string; column_name: string; on_delete: string }>`
    select cl.relname as table_name, att.attname as column_name, con.confdeltype::text as on_delete
    from pg_constraint con
    join pg_class cl on cl.oid = con.conrelid
    join pg_namespace ns on ns.oid = cl.relnamespace
    join pg_class ref on ref.oid = con.confrelid
    join pg_attribute att on att.attrelid = con.conrelid and att.attnum = con.conkey[1]
    where con.contype = 'f' and ref.relname = 'people' and ref.relnamespace = ns.oid
      and ns.nspname = current_schema() and cardinality(con.conkey) = 1
    order by cl.relname, att.attname`.execute(tx);
  return rows.map((r) => ({ table: r.table_name, column: r.column_name, onDelete: r.on_delete }));
}

/**
 * Erases one person inside `tx`. `variants` gives other stored forms of a text (the redacted copy
 * that model calls record); `at` is when, for the audit entry.
 */
export async function erasePerson(
  tx: Tx,
  personId: number,
  actor: EraseActor,
  at: Date,
  variants?: (text: string) => string[],
): Promise<ErasureResult> {
  const subject = await collectSubject(tx, personId);
  const needles = needlesOf(subject, variants);
  const former = await formerEmployeeId(tx);
  const counts: Counts = {};
  const merge = (more: Counts) => {
    for (const [table, count] of Object.entries(more)) addCount(counts, table, count);
  };

  // Tickets they requested: anonymised whole, as retention does for old closed tickets.
  merge(await anonymiseTickets(tx, subject.ticketIds, former));

  // What they wrote on other people's tickets (replies, notes as an agent).
  addCount(
    counts,
    'ticket_events',
    n(
      await tx
        .updateTable('ticket_events')
        .set({ body: ERASED })
        .where('actor_id', '=', personId)
        .where('body', 'is not', null)
        .executeTakeFirst(),
    ),
  );

  // Their raw events; one still waiting is not processed any more.
  if (subject.eventIds.length)
    addCount(
      counts,
      'inbound_events',
      n(
        await tx
          .updateTable('inbound_events')
          .set({
            payload: sql`jsonb_build_object('erased', true)`,
            status: sql`case when status = 'pending' then 'failed' else status end`,
            error: sql`case when status = 'pending' then 'erased before processing' else error end`,
          })
          .where('id', 'in', subject.eventIds)
          .executeTakeFirst(),
      ),
    );

  if (subject.conversationIds.length) {
    addCount(
      counts,
      'conversations',
      n(
        await tx
          .updateTable('conversations')
          .set({ state: null })
          .where('id', 'in', subject.conversationIds)
          .where('state', 'is not', null)
          .executeTakeFirst(),
      ),
    );
    // Messages to their direct conversations; one not yet sent is not sent any more.
    addCount(
      counts,
      'outbox',
      n(
        await tx
          .updateTable('outbox')
          .set({
            body: sql`jsonb_build_object('erased', true)`,
            status: sql`case when status = 'pending' then 'failed' else status end`,
            last_error: sql`case when status = 'pending' then 'erased before delivery' else last_error end`,
          })
          .where(
            sql<boolean>`exists (select 1 from conversations c where c.id = any(${sql.val(subject.conversationIds)}::int[])
              and c.is_direct and c.platform = outbox.platform and c.channel = outbox.target->>'channel')`,
          )
          .where(sql<boolean>`not (body ? 'erased')`)
          .executeTakeFirst(),
      ),
    );
  }

  addCount(
    counts,
    'kb_answers',
    n(
      await tx
        .updateTable('kb_answers')
        .set({
          question: ERASED,
          answer: ERASED,
          triage: sql`case when triage is null then null else triage - 'title' end`,
        })
        .where('requester_id', '=', personId)
        .executeTakeFirst(),
    ),
  );

  // Settings that name them (the on-call): the setting goes, an admin sets a new one.
  const ids = [...subject.identities.map((i) => i.user_id), ...subject.aliases.map((a) => a.alias)];
  if (ids.length)
    addCount(
      counts,
      'settings',
      n(await tx.deleteFrom('settings').where(sql<string>`value->>'userId'`, 'in', ids).executeTakeFirst()),
    );

  addCount(
    counts,
    'audit_log',
    n(
      await tx
        .updateTable('audit_log')
        .set({ actor_name: FORMER_EMPLOYEE_NAME })
        .where('actor_id', '=', personId)
        .executeTakeFirst(),
    ),
  );

  if (subject.identities.length) {
    addCount(
      counts,
      'identity_aliases',
      n(
        await tx
          .deleteFrom('identity_aliases')
          .where((eb) =>
            eb.or(
              subject.identities.map((i) =>
                eb.and([eb('platform', '=', i.platform), eb('user_id', '=', i.user_id)]),
              ),
            ),
          )
          .executeTakeFirst(),
      ),
    );
  }

  // Every reference to the person: their own rows go with them, the rest now name the former employee.
  for (const ref of await peopleReferences(tx)) {
    if (ref.onDelete === 'c') {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(ref.table)}
        where ${sql.ref(ref.column)} = ${personId}`.execute(tx);
      addCount(counts, ref.table, rows[0]?.n);
      continue;
    }
    await sql`savepoint repoint`.execute(tx);
    try {
      const result = await sql`update ${sql.table(ref.table)} set ${sql.ref(ref.column)} = ${former}
        where ${sql.ref(ref.column)} = ${personId}`.execute(tx);
      addCount(counts, ref.table, result.numAffectedRows);
      await sql`release savepoint repoint`.execute(tx);
    } catch {
      // The former employee already has such a row (a unique key): the person's row goes instead.
      await sql`rollback to savepoint repoint`.execute(tx);
      const result =
        await sql`delete from ${sql.table(ref.table)} where ${sql.ref(ref.column)} = ${personId}`.execute(tx);
      addCount(counts, ref.table, result.numAffectedRows);
    }
  }
  addCount(counts, 'people', n(await tx.deleteFrom('people').where('id', '=', personId).executeTakeFirst()));

  // Whatever still names them or quotes them, in any table.
  merge(await sweep(tx, needles));

  await recordAudit(tx, {
    actor,
    action: 'privacy',
    target: 'erase',
    after: { person: personId, counts },
    at,
  });
  return { counts };
}
