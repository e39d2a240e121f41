import type { ColumnType, Generated, Selectable } from 'kysely';

export interface JsmLinksTable {
  ticket_id: number;
  jsm_key: string;
  jsm_id: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export type JsmOp = 'create' | 'comment' | 'transition';

/** `comment`: the text; `transition`: the helpdesk status to move the request to. */
export interface JsmOpBody {
  text?: string;
  status?: string;
}

export interface JsmOpsTable {
  id: Generated<number>;
  ticket_id: number;
  op: JsmOp;
  body: ColumnType<JsmOpBody, string, string>;
  status: ColumnType<'pending' | 'done' | 'failed', 'pending' | undefined, 'pending' | 'done' | 'failed'>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  next_attempt_at: Date | null;
  locked_until: Date | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  done_at: Date | null;
}

export interface JsmCommentsTable {
  jsm_comment_id: string;
  ticket_id: number;
  direction: 'out' | 'in';
  created_at: ColumnType<Date, Date | undefined, never>;
}

export type JsmOpRow = Selectable<JsmOpsTable>;

export interface JsmTables {
  jsm_links: JsmLinksTable;
  jsm_ops: JsmOpsTable;
  jsm_comments: JsmCommentsTable;
}
