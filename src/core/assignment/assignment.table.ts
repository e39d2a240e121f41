import type { ColumnType } from 'kysely';

/** The categories an agent takes in `skills` mode. */
export interface AgentSkillsTable {
  person_id: number;
  category: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** Agents out of rotation; `until` null while no date was given (`back @who` ends it). */
export interface AgentAwayTable {
  person_id: number;
  until: Date | null;
  set_by: number | null;
  set_at: ColumnType<Date, Date | undefined, Date>;
}

/** One row (`id = 1`): the last agent given a ticket automatically, locked by every assignment. */
export interface AssignmentCursorTable {
  id: number;
  last_person_id: number | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface AssignmentTables {
  agent_skills: AgentSkillsTable;
  agent_away: AgentAwayTable;
  assignment_cursor: AssignmentCursorTable;
}
