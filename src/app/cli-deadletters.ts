/**
 * `helpdesk deadletters [--json]` lists what could not be delivered or processed (the same list
 * admins get in chat with `deadletters`); `helpdesk deadletters retry <id|all>` re-sends it.
 */
import type { Command } from 'commander';
import {
  type DeadLetterReport,
  formatDeadLetters,
  listDeadLetters,
  type ParsedId,
  parseDeadLetterId,
  retryDeadLetters,
} from '../core/outbox/deadletters.ts';
import { resumeDeliveries } from '../core/outbox/pauses.ts';
import { configOrExit, fail, openCliDatabase } from './cli-setup.ts';
import { createLogger } from './logger.ts';
import { createQueue } from './queue.ts';

/** The JSON view: one object per dead letter, and the paused workspaces. */
export function deadLettersJson(report: DeadLetterReport) {
  return {
    deadletters: report.letters.map((letter) => ({
      id: letter.id,
      kind: letter.kind,
      status: letter.status,
      platform: letter.platform,
      workspace: letter.workspace,
      reason: letter.reason,
      attempts: letter.attempts,
      last_error: letter.lastError,
      target: letter.target,
      ticket_id: letter.ticketId,
      created_at: letter.createdAt.toISOString(),
      age_seconds: letter.ageSeconds,
    })),
    paused: report.paused.map((pause) => ({
      platform: pause.platform,
      workspace: pause.tenant,
      reason: pause.reason,
      paused_at: pause.pausedAt.toISOString(),
      waiting: pause.waiting,
    })),
    removed: report.removed.map((place) => ({
      platform: place.platform,
      workspace: place.workspace,
      channel: place.channel,
      reason: place.reason,
    })),
  };
}

export function addDeadLettersCli(program: Command): void {
  const deadletters = program
    .command('deadletters')
    .description('list inbound events and deliveries that failed for good, and paused workspaces')
    .option('--json', 'print JSON instead of text')
    .action(async (options: { json?: boolean }) => {
      const config = configOrExit();
      const database = await openCliDatabase(config).catch(fail);
      try {
        const report = await listDeadLetters(database.db, new Date());
        process.stdout.write(
          options.json
            ? `${JSON.stringify(deadLettersJson(report), null, 2)}\n`
            : `${formatDeadLetters(report)}\n`,
        );
      } finally {
        await database.close();
      }
    });
  deadletters
    .command('retry')
    .description('re-send dead letters: ids as listed (o12 for a delivery, i7 for an inbound event), or all')
    .argument('<ids...>', 'o<id>, i<id>, or all')
    .action(async (ids: string[]) => {
      const all = ids.length === 1 && ids[0] === 'all';
      const parsed: ParsedId[] = [];
      if (!all) {
        for (const text of ids) {
          const id = parseDeadLetterId(text);
          if (!id) fail(new Error(`not a dead letter id: ${text} (expected o<number>, i<number> or all)`));
          parsed.push(id);
        }
      }
      const config = configOrExit();
      const log = createLogger({ ...config, LOG_LEVEL: 'warn' });
      const database = await openCliDatabase(config).catch(fail);
      const queue = await createQueue(config, database, log).catch(async (error: unknown) => {
        await database.close();
        return fail(error);
      });
      try {
        const deps = { db: database.db, jobs: queue, log };
        // Retrying everything includes what waits for a paused workspace: try it again.
        const resumed: string[] = [];
        if (all) {
          const pauses = await database.db
            .selectFrom('delivery_pauses')
            .select(['platform', 'tenant'])
            .execute();
          for (const pause of pauses) {
            await resumeDeliveries(deps, pause.platform, pause.tenant);
            resumed.push(`${pause.platform} ${pause.tenant}`);
          }
        }
        const result = await retryDeadLetters(deps, all ? 'all' : parsed);
        for (const id of result.skipped)
          process.stderr.write(
            `helpdesk: ${id} is not a dead letter (delivered, retried already, or unknown)\n`,
          );
        if (resumed.length)
          process.stdout.write(`Resumed deliveries to the paused workspace(s): ${resumed.join(', ')}\n`);
        if (result.retried.length)
          process.stdout.write(`Re-sent ${result.retried.length}: ${result.retried.join(' ')}\n`);
        else if (!resumed.length) process.stdout.write('Nothing to re-send.\n');
        if (!all && result.retried.length === 0) process.exitCode = 1;
      } finally {
        await queue.close();
        await database.close();
      }
    });
}
