/**
 * The generic part of erasure: every text, varchar, json(b) and text-array column of every table in
 * the schema is searched for a person's e-mail addresses, names, platform ids and message texts,
 * and each occurrence is replaced. Tables added later (webhook deliveries, API keys…) are covered
 * without code here. Only matching rows are read; they are rewritten in JavaScript so that JSON
 * stays valid and names match as whole words.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../db.ts';
import { addCount, type Counts } from './anonymise.ts';

export const ERASED = '[erased]';

/** Identity tables are handled row by row: a sweep there would rename other people sharing a name. */
const NOT_SWEPT = new Set([
  'people',
  'identities',
  'identity_aliases',
  'kysely_migration',
  'kysely_migration_lock',
]);
/** Rows of these tables are deleted when they mention the person (a cache is only a cache). */
const DELETED_ON_MATCH = new Set(['llm_cache']);

/** What to look for: plain strings match anywhere, words only as whole words (names, user ids). */
export interface Needles {
  anywhere: string[];
  words: string[];
}

interface Column {
  table: string;
  column: string;
  kind: 'text' | 'json' | 'jsonb' | 'array';
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
const jsonEscaped = (text: string) => JSON.stringify(text).slice(1, -1);

/** One case-insensitive pattern for all needles, longest first so a text wins over a name inside it. */
export function needlePattern(needles: Needles): RegExp | undefined {
  const parts = [
    ...needles.anywhere.map((text) => ({ text, word: false })),
    ...needles.words.map((text) => ({ text, word: true })),
  ]
    .filter((part) => part.text.length > 0)
    .sort((a, b) => b.text.length - a.text.length)
    .map((part) =>
      part.word
        ? `(?<![\\p{L}\\p{N}_])${escapeRegExp(part.text)}(?![\\p{L}\\p{N}_])`
        : escapeRegExp(part.text),
    );
  return parts.length ? new RegExp(parts.join('|'), 'giu') : undefined;
}

function replaceIn(value: unknown, pattern: RegExp, marker: string): unknown {
  if (typeof value === 'string') return value.replace(pattern, marker);
  if (Array.isArray(value)) return value.map((item) => replaceIn(item, pattern, marker));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replaceIn(item, pattern, marker)]),
    );
  return value;
}

/** Every sweepable column of the current schema, primary-key and generated columns left out. */
export async function sweepableColumns(tx: Tx): Promise<Column[]> {
  const { rows } = await sql<{
    table_name: string;
    column_name: string;
    data_type: string;
    udt_name: string;
  }>`
    select c.table_name, c.column_name, c.data_type, c.udt_name
    from information_schema.columns c
    join information_schema.tables t
      on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = current_schema()
      and c.is_generated = 'NEVER'
      and (c.data_type in ('text', 'character varying', 'json', 'jsonb')
           or (c.data_type = 'ARRAY' and c.udt_name in ('_text', '_varchar')))
      and not exists (
        select 1 from information_schema.table_constraints k
        join information_schema.key_column_usage u
          on u.constraint_schema = k.constraint_schema and u.constraint_name = k.constraint_name
        where k.constraint_type = 'PRIMARY KEY' and k.table_schema = c.table_schema
          and k.table_name = c.table_name and u.column_name = c.column_name)
    order by c.table_name, c.ordinal_position`.execute(tx);
  return rows
    .filter((row) => !NOT_SWEPT.has(row.table_name))
    .map((row) => ({
      table: row.table_name,
      column: row.column_name,
      kind:
        row.data_type === 'ARRAY'
          ? 'array'
          : row.data_type === 'json' || row.data_type === 'jsonb'
            ? row.data_type
            : 'text',
    }));
}

/** Replaces every needle in every sweepable column; returns the rows changed (or deleted) per table. */
export async function sweep(tx: Tx, needles: Needles): Promise<Counts> {
  const counts: Counts = {};
  const pattern = needlePattern(needles);
  if (!pattern) return counts;
  const likes = [...new Set([...needles.anywhere, ...needles.words].flatMap((s) => [s, jsonEscaped(s)]))].map(
    (s) => `%${escapeLike(s)}%`,
  );
  const byTable = new Map<string, Column[]>();
  for (const column of await sweepableColumns(tx))
    byTable.set(column.table, [...(byTable.get(column.table) ?? []), column]);

  for (const [table, columns] of byTable) {
    // A coarse filter in Postgres (case-insensitive substring); the precise match is the pattern.
    const filter = sql.join(
      columns.map((c) => sql`${sql.ref(c.column)}::text ilike any(${sql.val(likes)}::text[])`),
      sql` or `,
    );
    const { rows } = await sql<Record<string, unknown> & { row_ctid: string }>`
      select ctid::text as row_ctid, ${sql.join(columns.map((c) => sql.ref(c.column)))}
      from ${sql.table(table)} where ${filter}`.execute(tx);
    let touched = 0;
    for (const row of rows) {
      const next = new Map<string, unknown>();
      for (const c of columns) {
        const value = row[c.column];
        if (value === null || value === undefined) continue;
        const replaced = replaceIn(value, pattern, ERASED);
        if (JSON.stringify(replaced) !== JSON.stringify(value)) next.set(c.column, replaced);
      }
      if (next.size === 0) continue;
      touched++;
      const where = sql`where ctid = ${row.row_ctid}::tid`;
      if (DELETED_ON_MATCH.has(table)) {
        await sql`delete from ${sql.table(table)} ${where}`.execute(tx);
        continue;
      }
      const sets = (values: Map<string, unknown>) =>
        sql.join(
          columns
            .filter((c) => values.has(c.column))
            .map((c) => {
              const value = values.get(c.column);
              return sql`${sql.ref(c.column)} = ${
                c.kind === 'json' || c.kind === 'jsonb'
                  ? sql`${JSON.stringify(value)}::${sql.raw(c.kind)}`
                  : sql.val(value)
              }`;
            }),
        );
      // Two rows that differed only by the person's name may now collide on a unique key: such a
      // row gets a marker of its own.
      await sql`savepoint sweep_row`.execute(tx);
      try {
        await sql`update ${sql.table(table)} set ${sets(next)} ${where}`.execute(tx);
        await sql`release savepoint sweep_row`.execute(tx);
      } catch {
        await sql`rollback to savepoint sweep_row`.execute(tx);
        const marker = `[erased ${randomBytes(4).toString('hex')}]`;
        const unique = new Map([...next.keys()].map((key) => [key, replaceIn(row[key], pattern, marker)]));
        await sql`update ${sql.table(table)} set ${sets(unique)} ${where}`.execute(tx);
      }
    }
    addCount(counts, table, touched);
  }
  return counts;
}
