import type { ColumnType, Generated, Selectable } from 'kysely';

export interface ApiKeysTable {
  id: Generated<number>;
  name: string;
  /** Visible part of the key (`hd_<prefix>_…`), unique: finds the row and tells keys apart. */
  prefix: string;
  /** SHA-256 (hex) of the whole key; the key itself is never stored. */
  secret_hash: string;
  scopes: ColumnType<string[], string[], string[]>;
  /** The API actor: a person of its own with the agent role, named after the key. */
  person_id: number;
  created_by: number | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  last_used_at: Date | null;
  revoked_at: Date | null;
  /** The rate limit's token bucket (shared by every process through this row). */
  rate_tokens: number | null;
  rate_at: Date | null;
}

export interface ApiKeyTables {
  api_keys: ApiKeysTable;
}

export type ApiKeyRow = Selectable<ApiKeysTable>;
