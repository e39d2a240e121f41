import type { ColumnType, Generated } from 'kysely';

export type Role = 'requester' | 'agent' | 'admin';
export const ROLES: readonly Role[] = ['requester', 'agent', 'admin'];

/** The role with its article, as a sentence says it: "a requester", "an agent", "an admin". */
export function aRole(role: Role): string {
  return role === 'requester' ? 'a requester' : `an ${role}`;
}

export interface PeopleTable {
  id: Generated<number>;
  email: string | null;
  display_name: string;
  /** The language they last wrote in, or their platform's locale (see src/core/i18n/choose.ts). */
  language: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface IdentitiesTable {
  platform: string;
  user_id: string;
  tenant: string;
  person_id: number;
  display_name: string | null;
  email: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** Another id the platform uses for an identity (a Teams `29:…` id); `user_id` is the stored one. */
export interface IdentityAliasesTable {
  platform: string;
  alias: string;
  user_id: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface RolesTable {
  person_id: number;
  role: Role;
  granted_by: number | null;
  granted_at: ColumnType<Date, Date | undefined, Date>;
}

export interface PeopleTables {
  people: PeopleTable;
  identities: IdentitiesTable;
  identity_aliases: IdentityAliasesTable;
  roles: RolesTable;
}
