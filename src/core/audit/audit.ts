/**
 * The audit of configuration: who changed what, from what to what, and when. Commands run by an
 * admin are diffed generically (settings and roles before and after the command, in its
 * transaction), so every setting a command writes is audited without the command knowing; features
 * with their own tables (webhooks, API keys) call `recordAudit` themselves.
 */
import { json, type Tx } from '../db.ts';

export interface AuditEntry {
  actor: { id: number | null; displayName: string };
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
  at: Date;
}

export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      actor_id: entry.actor.id,
      actor_name: entry.actor.displayName,
      action: entry.action,
      target: entry.target,
      before: entry.before === undefined ? null : json(entry.before),
      after: entry.after === undefined ? null : json(entry.after),
      created_at: entry.at,
    })
    .execute();
}

/** What an admin command can change without saying so: settings and roles. */
export interface ConfigSnapshot {
  settings: Map<string, string>;
  roles: Map<number, string>;
}

export async function snapshotConfig(tx: Tx): Promise<ConfigSnapshot> {
  const settings = await tx.selectFrom('settings').select(['key', 'value']).execute();
  const roles = await tx.selectFrom('roles').select(['person_id', 'role']).execute();
  return {
    settings: new Map(settings.map((row) => [row.key, JSON.stringify(row.value)])),
    roles: new Map(roles.map((row) => [row.person_id, row.role])),
  };
}

/** Records every setting and role that differs between two snapshots, as one entry each. */
export async function auditChanges(
  tx: Tx,
  actor: AuditEntry['actor'],
  action: string,
  before: ConfigSnapshot,
  after: ConfigSnapshot,
  at: Date,
): Promise<number> {
  let recorded = 0;
  const parse = (value: string | undefined) => (value === undefined ? null : (JSON.parse(value) as unknown));
  for (const key of new Set([...before.settings.keys(), ...after.settings.keys()])) {
    const was = before.settings.get(key);
    const now = after.settings.get(key);
    if (was === now) continue;
    await recordAudit(tx, { actor, action, target: key, before: parse(was), after: parse(now), at });
    recorded++;
  }
  for (const personId of new Set([...before.roles.keys(), ...after.roles.keys()])) {
    const was = before.roles.get(personId) ?? 'requester';
    const now = after.roles.get(personId) ?? 'requester';
    if (was === now) continue;
    await recordAudit(tx, { actor, action, target: `role:${personId}`, before: was, after: now, at });
    recorded++;
  }
  return recorded;
}
