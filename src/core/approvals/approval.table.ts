import type { ColumnType, Generated, Selectable } from 'kysely';

export type ApprovalStatus = 'pending' | 'approved' | 'denied';

/** A category whose requests wait for approval (`approvals access,software`). */
export interface ApprovalCategoriesTable {
  category: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** Who may decide the requests of a category (`approvers access @who,@who`). */
export interface ApproversTable {
  category: string;
  person_id: number;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** One ticket's approval: waiting, or decided (first decision wins), and its reminders. */
export interface ApprovalsTable {
  id: Generated<number>;
  ticket_id: number;
  status: Generated<ApprovalStatus>;
  requested_at: Date;
  decided_by: number | null;
  decided_at: Date | null;
  /** A denial's reason, as the requester was told. */
  reason: string | null;
  reminded_at: Date | null;
  reminders: Generated<number>;
}

export interface ApprovalTables {
  approval_categories: ApprovalCategoriesTable;
  approvers: ApproversTable;
  approvals: ApprovalsTable;
}

export type ApprovalRow = Selectable<ApprovalsTable>;
