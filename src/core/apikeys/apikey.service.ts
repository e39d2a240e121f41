/**
 * API keys for the REST API: created (shown once), listed, revoked, and checked on each request.
 * A key is `hd_<prefix>_<secret>`; only its SHA-256 is stored (keys are random and long, so a fast
 * hash is enough). Each key acts as a person of its own with the agent role, named after the key:
 * the timeline and the requester see that name, and every ticket use case checks it like an agent.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import type { DbOrTx, Tx } from '../db.ts';
import { getPerson, type Person } from '../people/people.service.ts';
import type { ApiKeyRow } from './apikey.table.ts';

export const API_SCOPES = ['tickets:read', 'tickets:write', 'tickets:internal'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

const KEY = /^hd_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const NAME = /^[\w][\w .@-]{0,59}$/;

/** Who made or revoked a key, for the audit log: a person, or the CLI (no person). */
export interface KeyActor {
  id: number | null;
  displayName: string;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** `tickets:read,tickets:write` → the scopes, or why not. */
export function parseScopes(text: string): { ok: true; scopes: ApiScope[] } | { ok: false; reason: string } {
  const scopes = [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = scopes.filter((s) => !(API_SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown.length > 0)
    return {
      ok: false,
      reason: `${unknown.length ? `unknown scope ${unknown.join(', ')}` : 'no scope given'}; scopes are ${API_SCOPES.join(', ')}`,
    };
  return { ok: true, scopes: scopes as ApiScope[] };
}

export function checkKeyName(name: string): string | undefined {
  return NAME.test(name.trim())
    ? undefined
    : 'a key name is 1 to 60 letters, digits, spaces, or . _ - @, starting with a letter or digit';
}

export interface CreatedKey {
  id: number;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  /** The whole key: shown once, never stored. */
  key: string;
}

/** Creates a key and its API actor (an agent named after the key), audited in the same transaction. */
export async function createApiKey(
  tx: Tx,
  actor: KeyActor,
  input: { name: string; scopes: ApiScope[] },
  at: Date,
): Promise<CreatedKey> {
  const name = input.name.trim();
  const invalid = checkKeyName(name);
  if (invalid) throw new Error(invalid);
  const prefix = randomBytes(6).toString('hex');
  const key = `hd_${prefix}_${randomBytes(32).toString('base64url')}`;
  const person = await tx
    .insertInto('people')
    .values({ email: null, display_name: name })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('roles')
    .values({ person_id: person.id, role: 'agent', granted_by: actor.id })
    .execute();
  const row = await tx
    .insertInto('api_keys')
    .values({
      name,
      prefix,
      secret_hash: hashKey(key),
      scopes: input.scopes,
      person_id: person.id,
      created_by: actor.id,
      last_used_at: null,
      revoked_at: null,
      rate_tokens: null,
      rate_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(tx, {
    actor,
    action: 'apikey',
    target: `apikey:${row.id}`,
    after: { name, prefix, scopes: input.scopes },
    at,
  });
  return { id: row.id, name, prefix, scopes: input.scopes, key };
}

export async function listApiKeys(db: DbOrTx): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().orderBy('id').execute();
}

export type Revoked = { ok: true; key: ApiKeyRow } | { ok: false; reason: 'no_such_key' | 'already_revoked' };

/** Revokes a key at once (its next request gets 401); its actor stays for the timeline. */
export async function revokeApiKey(tx: Tx, actor: KeyActor, id: number, at: Date): Promise<Revoked> {
  const row = await tx.selectFrom('api_keys').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) return { ok: false, reason: 'no_such_key' };
  if (row.revoked_at) return { ok: false, reason: 'already_revoked' };
  const key = await tx
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(tx, {
    actor,
    action: 'apikey',
    target: `apikey:${id}`,
    before: { name: row.name, prefix: row.prefix, scopes: row.scopes, revoked: false },
    after: { name: row.name, prefix: row.prefix, scopes: row.scopes, revoked: true },
    at,
  });
  return { ok: true, key };
}

export type Authenticated =
  | { ok: true; key: ApiKeyRow; actor: Person }
  | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' };

/** The key a request presented, if it is one of ours and not revoked. */
export async function authenticateApiKey(db: DbOrTx, presented: string): Promise<Authenticated> {
  const match = KEY.exec(presented);
  if (!match?.[1]) return { ok: false, reason: 'malformed' };
  const row = await db.selectFrom('api_keys').selectAll().where('prefix', '=', match[1]).executeTakeFirst();
  if (!row) return { ok: false, reason: 'unknown' };
  const expected = Buffer.from(row.secret_hash, 'hex');
  const given = Buffer.from(hashKey(presented), 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'unknown' };
  if (row.revoked_at) return { ok: false, reason: 'revoked' };
  return { ok: true, key: row, actor: await getPerson(db, row.person_id) };
}

/**
 * Takes one request from the key's token bucket (`perMinute` tokens, refilled continuously) and
 * records the use. The bucket is a row, so every process shares it; the row lock orders requests.
 */
export async function takeRequestToken(
  db: DbOrTx,
  keyId: number,
  perMinute: number,
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const rate = perMinute / 60;
  const result = await sql<{ available: number }>`
    with bucket as (
      select least(${perMinute}::float8,
        coalesce(rate_tokens, ${perMinute}::float8)
          + extract(epoch from now() - coalesce(rate_at, now())) * ${rate}::float8) as available
      from api_keys where id = ${keyId} for update
    )
    update api_keys set
      rate_tokens = case when bucket.available >= 1 then bucket.available - 1 else bucket.available end,
      rate_at = now(),
      last_used_at = now()
    from bucket where api_keys.id = ${keyId}
    returning bucket.available`.execute(db);
  const available = Number(result.rows[0]?.available ?? 0);
  if (available >= 1) return { allowed: true, retryAfterSeconds: 0 };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - available) / rate)) };
}
