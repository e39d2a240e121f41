import type { ColumnType, Generated } from 'kysely';

/** Rows the retention job changed in one run, per policy and table (`inbound_events: 12`, …). */
export type RetentionCounts = Record<string, number>;

export interface RetentionRunsTable {
  id: Generated<number>;
  trigger: 'schedule' | 'cli' | 'command';
  policies: ColumnType<Record<string, number | null>, string, string>;
  counts: ColumnType<RetentionCounts, string, string>;
  started_at: Date;
  finished_at: Date;
}

/** An export waiting for its one download; only the token's SHA-256 is stored. */
export interface PrivacyExportsTable {
  token_hash: string;
  subject_person_id: number | null;
  requested_by: number | null;
  document: ColumnType<unknown, string, string>;
  created_at: Date;
  expires_at: Date;
}

export interface PrivacyTables {
  retention_runs: RetentionRunsTable;
  privacy_exports: PrivacyExportsTable;
}
