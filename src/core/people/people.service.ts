import { sql } from 'kysely';
import type { ChatUser } from '../chat/chat.ts';
import type { CoreConfig } from '../config.ts';
import type { DbOrTx } from '../db.ts';
import { aRole, type Role } from './people.table.ts';

export interface Person {
  id: number;
  displayName: string;
  email: string | null;
  role: Role;
}

const RANK: Record<Role, number> = { requester: 0, agent: 1, admin: 2 };

/** True when `role` is at least `needed` (admins can do what agents can). */
export function hasRole(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

export type Access = { ok: true } | { ok: false; reason: string };

/** The access check every use case starts with. */
export function requireRole(person: Person, needed: Role): Access {
  if (hasRole(person.role, needed)) return { ok: true };
  return {
    ok: false,
    reason: `Only ${needed === 'admin' ? 'admins' : 'agents'} can do that (you are ${aRole(person.role)}).`,
  };
}

function normaliseEmail(email: string | undefined): string | null {
  const value = email?.trim().toLowerCase();
  return value ? value : null;
}

function isConfiguredAdmin(config: CoreConfig, user: ChatUser, email: string | null): boolean {
  return config.admins.some((entry) => {
    const value = entry.trim();
    if (value.includes('@') && !value.includes(':')) return email !== null && value.toLowerCase() === email;
    const [platform, ...rest] = value.split(':');
    return platform === user.platform && rest.join(':') === user.userId;
  });
}

/**
 * Finds or creates the person behind a platform user. The same e-mail on two platforms is one
 * person; the first admins come from configuration.
 */
export async function resolvePerson(db: DbOrTx, config: CoreConfig, user: ChatUser): Promise<Person> {
  const email = normaliseEmail(user.email);
  const displayName = user.displayName?.trim() || email || user.userId;
  const identity = await db
    .selectFrom('identities')
    .select(['person_id', 'email', 'display_name'])
    .where('platform', '=', user.platform)
    .where('user_id', '=', user.userId)
    .executeTakeFirst();

  let personId: number;
  if (identity) {
    personId = identity.person_id;
    if (
      (email && email !== identity.email) ||
      (user.displayName && user.displayName !== identity.display_name)
    ) {
      await db
        .updateTable('identities')
        .set({
          email: email ?? identity.email,
          display_name: user.displayName ?? identity.display_name,
          updated_at: sql`now()`,
        })
        .where('platform', '=', user.platform)
        .where('user_id', '=', user.userId)
        .execute();
      await adoptEmail(db, personId, email, user.displayName);
    }
  } else {
    const byEmail = email
      ? await db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirst()
      : undefined;
    personId =
      byEmail?.id ??
      (
        await db
          .insertInto('people')
          .values({ email, display_name: displayName })
          .onConflict((oc) => oc.column('email').doUpdateSet({ display_name: displayName }))
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    await db
      .insertInto('identities')
      .values({
        platform: user.platform,
        user_id: user.userId,
        tenant: user.tenant,
        person_id: personId,
        display_name: user.displayName ?? null,
        email,
      })
      .onConflict((oc) => oc.columns(['platform', 'user_id']).doNothing())
      .execute();
  }

  await rememberAliases(db, user);
  if (isConfiguredAdmin(config, user, email)) {
    await db
      .insertInto('roles')
      .values({ person_id: personId, role: 'admin', granted_by: null })
      .onConflict((oc) => oc.column('person_id').doNothing())
      .execute();
  }
  return getPerson(db, personId);
}

/** Stores the other ids the platform gave for this user, so a mention carrying one finds them. */
async function rememberAliases(db: DbOrTx, user: ChatUser): Promise<void> {
  const aliases = [...new Set(user.aliases ?? [])].filter((alias) => alias && alias !== user.userId);
  if (aliases.length === 0) return;
  await db
    .insertInto('identity_aliases')
    .values(aliases.map((alias) => ({ platform: user.platform, alias, user_id: user.userId })))
    .onConflict((oc) => oc.columns(['platform', 'alias']).doUpdateSet({ user_id: user.userId }))
    .execute();
}

/** The stored user id for an id a platform sent: itself, or the identity it is an alias of. */
async function canonicalUserId(db: DbOrTx, platform: string, userId: string): Promise<string> {
  const alias = await db
    .selectFrom('identity_aliases')
    .select('user_id')
    .where('platform', '=', platform)
    .where('alias', '=', userId)
    .executeTakeFirst();
  return alias?.user_id ?? userId;
}

/**
 * True when `userId` (or the identity it is an alias of) is a person already known with a name:
 * naming them needs no directory call.
 */
export async function knownUser(db: DbOrTx, platform: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('identities')
    .select('display_name')
    .where('platform', '=', platform)
    .where('user_id', '=', await canonicalUserId(db, platform, userId))
    .executeTakeFirst();
  return Boolean(row?.display_name);
}

/** Keeps people.email filled once a platform tells us the address. */
async function adoptEmail(db: DbOrTx, personId: number, email: string | null, displayName?: string) {
  if (!email) return;
  const owner = await db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirst();
  if (owner && owner.id !== personId) {
    // Another person already has this address: this identity belongs to them.
    await db
      .updateTable('identities')
      .set({ person_id: owner.id })
      .where('person_id', '=', personId)
      .execute();
    return;
  }
  await db
    .updateTable('people')
    .set({ email, ...(displayName ? { display_name: displayName } : {}) })
    .where('id', '=', personId)
    .where('email', 'is', null)
    .execute();
}

export async function getPerson(db: DbOrTx, personId: number): Promise<Person> {
  const row = await db
    .selectFrom('people')
    .leftJoin('roles', 'roles.person_id', 'people.id')
    .select(['people.id', 'people.display_name', 'people.email', 'roles.role'])
    .where('people.id', '=', personId)
    .executeTakeFirstOrThrow();
  return { id: row.id, displayName: row.display_name, email: row.email, role: row.role ?? 'requester' };
}

export async function setRole(db: DbOrTx, personId: number, role: Role, grantedBy: number): Promise<void> {
  await db
    .insertInto('roles')
    .values({ person_id: personId, role, granted_by: grantedBy })
    .onConflict((oc) =>
      oc.column('person_id').doUpdateSet({ role, granted_by: grantedBy, granted_at: sql`now()` }),
    )
    .execute();
}

/** Finds a person by a platform user id on one platform, or by e-mail. */
export async function findPerson(
  db: DbOrTx,
  ref: { platform: string; userId?: string; email?: string; name?: string },
): Promise<Person | undefined> {
  let personId: number | undefined;
  if (ref.userId) {
    const row = await db
      .selectFrom('identities')
      .select('person_id')
      .where('platform', '=', ref.platform)
      .where('user_id', '=', await canonicalUserId(db, ref.platform, ref.userId))
      .executeTakeFirst();
    personId = row?.person_id;
  }
  if (personId === undefined && ref.email) {
    const row = await db
      .selectFrom('people')
      .select('id')
      .where('email', '=', ref.email.toLowerCase())
      .executeTakeFirst();
    personId = row?.id;
  }
  if (personId === undefined && ref.name) {
    const name = ref.name.toLowerCase();
    const row = await db
      .selectFrom('identities')
      .select('person_id')
      .where('platform', '=', ref.platform)
      .where((eb) =>
        eb.or([eb(eb.fn('lower', ['display_name']), '=', name), eb('user_id', '=', ref.name ?? '')]),
      )
      .executeTakeFirst();
    personId = row?.person_id;
  }
  return personId === undefined ? undefined : getPerson(db, personId);
}

export type NamedPerson = { ok: true; person: Person } | { ok: false; reason: string };

/**
 * The person a command or a users select names. Someone who never wrote to the bot is created
 * (or linked to the person with the same e-mail) from what the platform directory said about them;
 * `directory` holds those answers, looked up before the transaction.
 */
export async function namedPerson(
  db: DbOrTx,
  config: CoreConfig,
  ref: { platform: string; userId?: string | undefined; name?: string | undefined; raw: string },
  directory: readonly ChatUser[] = [],
): Promise<NamedPerson> {
  const listed = ref.userId
    ? directory.find(
        (user) =>
          user.platform === ref.platform &&
          (user.userId === ref.userId || (user.aliases ?? []).includes(ref.userId ?? '')),
      )
    : undefined;
  if (listed?.isBot) return { ok: false, reason: `${ref.raw} is a bot, not a person.` };
  // A directory answer also refreshes a known identity's name and e-mail.
  if (listed) return { ok: true, person: await resolvePerson(db, config, listed) };
  const known = await findPerson(db, ref);
  if (known) return { ok: true, person: known };
  return {
    ok: false,
    reason: ref.userId
      ? `I couldn't look ${ref.raw} up in the directory; try again in a minute.`
      : `I don't know ${ref.raw} yet; mention them (so I can look them up) or ask them to message me once.`,
  };
}

/** Gives a person a role unless they already have one at least as strong (local console set-up). */
export async function ensureRole(
  db: DbOrTx,
  config: CoreConfig,
  user: ChatUser,
  role: Role,
): Promise<Person> {
  const person = await resolvePerson(db, config, user);
  if (!hasRole(person.role, role)) await setRole(db, person.id, role, person.id);
  return getPerson(db, person.id);
}
