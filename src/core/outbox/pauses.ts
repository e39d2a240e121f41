/**
 * Paused workspaces: when a platform refuses the workspace's token (Slack `invalid_auth`,
 * `token_revoked`, `account_inactive`; a Bot Connector 401), no message there can be sent, so its
 * deliveries wait instead of each burning its retries. The pause is lifted when a probe succeeds
 * (the recovery sweep probes every minute), when the workspace is heard from again (an event, a
 * re-install), or by `helpdesk deadletters retry`; its waiting rows are then delivered, each lane in order.
 */
import { sql } from 'kysely';
import type { Notifiers } from '../chat/notifier.ts';
import type { DbOrTx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { jobId } from '../jobs/jobs.ts';

export interface DeliveryPause {
  platform: string;
  tenant: string;
  reason: string;
  pausedAt: Date;
  probedAt: Date | null;
  /** Deliveries waiting for it. */
  waiting: number;
}

export async function pauseDeliveries(
  deps: Pick<CoreDeps, 'db' | 'log'>,
  platform: string,
  tenant: string,
  reason: string,
): Promise<void> {
  const created = await deps.db
    .insertInto('delivery_pauses')
    .values({ platform, tenant, reason, probed_at: null })
    .onConflict((oc) => oc.columns(['platform', 'tenant']).doNothing())
    .returning('platform')
    .executeTakeFirst();
  if (created)
    deps.log.warn({ platform, tenant, reason }, 'deliveries paused: the platform refuses the token');
}

/**
 * Lifts a pause and starts the deliveries that waited for it: the first pending row of each of the
 * workspace's lanes (each wakes the next when it is sent). Returns how many lanes it started; 0 when
 * the workspace was not paused.
 */
export async function resumeDeliveries(
  deps: Pick<CoreDeps, 'db' | 'jobs' | 'log'>,
  platform: string,
  tenant: string,
): Promise<number> {
  const lifted = await deps.db
    .deleteFrom('delivery_pauses')
    .where('platform', '=', platform)
    .where('tenant', '=', tenant)
    .returning('paused_at')
    .executeTakeFirst();
  if (!lifted) return 0;
  const heads = await deps.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('id').as('id'))
    .where('status', '=', 'pending')
    .where('platform', '=', platform)
    .where(sql<string>`target->>'tenant'`, '=', tenant)
    .groupBy('lane')
    .execute();
  const ids = heads.map((head) => Number(head.id)).sort((a, b) => a - b);
  for (const id of ids) {
    await deps.jobs.enqueue(
      'deliver',
      { outboxId: id },
      { jobId: jobId('deliver', id, 'resume', lifted.paused_at.getTime()) },
    );
  }
  deps.log.info({ platform, tenant, lanes: ids.length }, 'deliveries resumed');
  return ids.length;
}

/** Every paused workspace, with how many deliveries wait for it. */
export async function listPauses(db: DbOrTx): Promise<DeliveryPause[]> {
  const rows = await db
    .selectFrom('delivery_pauses as p')
    .select(['p.platform', 'p.tenant', 'p.reason', 'p.paused_at', 'p.probed_at'])
    .select((eb) =>
      eb
        .selectFrom('outbox as o')
        .select(eb.fn.countAll<number>().as('n'))
        .where('o.status', '=', 'pending')
        .whereRef('o.platform', '=', 'p.platform')
        .whereRef(sql<string>`o.target->>'tenant'`, '=', 'p.tenant')
        .as('waiting'),
    )
    .orderBy('p.paused_at')
    .execute();
  return rows.map((row) => ({
    platform: row.platform,
    tenant: row.tenant,
    reason: row.reason,
    pausedAt: row.paused_at,
    probedAt: row.probed_at,
    waiting: Number(row.waiting ?? 0),
  }));
}

/**
 * Probes every paused workspace through its platform (Slack: auth.test) and resumes those whose
 * token works again. A platform without a probe is resumed: its next delivery tells, and pauses again.
 */
export async function probePauses(
  deps: Pick<CoreDeps, 'db' | 'jobs' | 'log' | 'clock'> & { notifiers: Notifiers },
): Promise<{ resumed: number; paused: number }> {
  const pauses = await deps.db.selectFrom('delivery_pauses').select(['platform', 'tenant']).execute();
  let resumed = 0;
  for (const pause of pauses) {
    const notifier = deps.notifiers[pause.platform as keyof Notifiers];
    // Another process shows this platform (or none does): nothing here can probe it.
    if (!notifier) continue;
    const works = notifier.probe ? await notifier.probe(pause.tenant).catch(() => false) : true;
    if (works) {
      await resumeDeliveries(deps, pause.platform, pause.tenant);
      resumed++;
    } else {
      await deps.db
        .updateTable('delivery_pauses')
        .set({ probed_at: deps.clock.now() })
        .where('platform', '=', pause.platform)
        .where('tenant', '=', pause.tenant)
        .execute();
    }
  }
  return { resumed, paused: pauses.length - resumed };
}
