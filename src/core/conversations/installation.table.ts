export interface InstallationsTable {
  platform: string;
  tenant: string;
  /** '' for the whole workspace or tenant. */
  channel: string;
  status: 'active' | 'inactive';
  reason: string | null;
  changed_at: Date;
  welcomed_at: Date | null;
}

export interface InstallationTables {
  installations: InstallationsTable;
}
