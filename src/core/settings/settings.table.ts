import type { ColumnType } from 'kysely';

export interface SettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_by: number | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface SettingsTables {
  settings: SettingsTable;
}
