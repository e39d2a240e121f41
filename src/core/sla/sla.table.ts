import type { ColumnType, Generated, Selectable } from 'kysely';

/** Closed pauses as `[fromIso, toIso]` pairs. */
export type StoredPauses = Array<[string, string]>;

export interface TicketSlaTable {
  ticket_id: number;
  /** The ticket status this row last saw, to notice transitions. */
  status: string;
  status_since: Date;
  /** Set while the SLA clock is stopped (pending or resolved). */
  paused_since: Date | null;
  pauses: ColumnType<StoredPauses, string | undefined, string>;
  first_response_met: boolean | null;
  resolution_met: boolean | null;
  /** When the ticket reached its current escalation level; the next level counts from here. */
  escalated_at: Date | null;
  /** When the on-call was paged for a P1. */
  paged_at: Date | null;
  escalation_stopped_at: Date | null;
  escalation_stopped_by: number | null;
  updated_at: Date;
}

export type AlertTarget = 'first_response' | 'resolution' | 'lifecycle';
export type StoredAlertKind =
  | 'warning'
  | 'breach'
  | 'escalation'
  | 'page'
  | 'nudge'
  | 'auto-resolve'
  | 'auto-close';

export interface SlaAlertsTable {
  id: Generated<number>;
  ticket_id: number;
  target: AlertTarget;
  kind: StoredAlertKind;
  level: ColumnType<number, number | undefined, number>;
  /** The due time (or other moment) the alert belongs to: a moved due time is a new alert. */
  due_at: Date;
  created_at: Date;
}

export interface SlaTables {
  ticket_sla: TicketSlaTable;
  sla_alerts: SlaAlertsTable;
}

export type TicketSlaRow = Selectable<TicketSlaTable>;
