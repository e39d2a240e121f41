/**
 * Operators' commands for personal data: `helpdesk privacy export <email|platform:id> [--out file]`,
 * `helpdesk privacy erase <email|platform:id> --yes` and `helpdesk retention run`.
 */
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { redactText } from '../agents/guard.ts';
import type { JobQueue } from '../core/jobs/jobs.ts';
import { erasePerson } from '../core/privacy/erase.ts';
import { exportPerson } from '../core/privacy/export.ts';
import { runRetention } from '../core/privacy/retention.ts';
import { findSubject, parseSubject } from '../core/privacy/subject.ts';
import { unitOfWork } from '../core/unit-of-work.ts';
import { configOrExit, fail, openCliDatabase } from './cli-setup.ts';
import { systemClock } from './clock.ts';
import type { Database } from './database.ts';
import { createLogger } from './logger.ts';

const variants = (text: string) => [redactText(text)];

/** These commands queue nothing; a job port that says so if one ever tries. */
const noJobs: JobQueue = {
  enqueue: async (name) => {
    throw new Error(`a one-shot command cannot enqueue ${name}`);
  },
};

async function withDatabase<T>(run: (database: Database) => Promise<T>): Promise<T> {
  const config = configOrExit();
  const database = await openCliDatabase(config).catch(fail);
  try {
    return await run(database);
  } finally {
    await database.close();
  }
}

async function subjectOrExit(database: Database, who: string): Promise<number> {
  const ref = parseSubject(who);
  if (!ref) fail(new Error(`"${who}" is neither an e-mail address nor platform:id (slack:U123, teams:…)`));
  const id = await findSubject(database.db, ref);
  if (id === undefined) fail(new Error(`no person is stored for ${who}`));
  return id;
}

const counted = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([table, n]) => `  ${table}: ${n}`)
    .join('\n');

export function addPrivacyCli(program: Command): void {
  const privacy = program.command('privacy').description("export or erase one person's data");
  privacy
    .command('export')
    .argument('<who>', 'an e-mail address or platform:id (slack:U123, teams:<aadObjectId>)')
    .option('--out <file>', 'write the JSON document to this file instead of stdout')
    .description('write one JSON document with everything stored about that person')
    .action(async (who: string, options: { out?: string }) => {
      await withDatabase(async (database) => {
        const id = await subjectOrExit(database, who);
        const document = await exportPerson(database.db, id, systemClock.now(), variants);
        const text = `${JSON.stringify(document, null, 2)}\n`;
        if (options.out) {
          writeFileSync(options.out, text, { mode: 0o600 });
          process.stderr.write(`wrote ${options.out}\n`);
        } else process.stdout.write(text);
      });
    });
  privacy
    .command('erase')
    .argument('<who>', 'an e-mail address or platform:id (slack:U123, teams:<aadObjectId>)')
    .option('--yes', 'confirm: erasing cannot be undone')
    .description('anonymise that person everywhere; statistics stay, the erasure is audited')
    .action(async (who: string, options: { yes?: boolean }) => {
      if (!options.yes) fail(new Error(`erasing ${who} cannot be undone; run again with --yes to go ahead`));
      await withDatabase(async (database) => {
        const id = await subjectOrExit(database, who);
        const log = createLogger(configOrExit());
        const actor = { id: null, displayName: `cli (${userInfo().username})` };
        const { counts } = await unitOfWork({ db: database.db, jobs: noJobs, log }, (tx) =>
          erasePerson(tx, id, actor, systemClock.now(), variants),
        );
        log.info({ counts }, 'person erased');
        process.stdout.write(`erased; rows changed per table:\n${counted(counts)}\n`);
      });
    });

  program
    .command('retention')
    .description('retention policies (set them in chat: retention inbound 30d)')
    .command('run')
    .description('apply the retention policies now (the workers also do it daily) and print the counts')
    .action(async () => {
      await withDatabase(async (database) => {
        const log = createLogger(configOrExit());
        const run = await runRetention({ db: database.db, jobs: noJobs, log, clock: systemClock }, 'cli');
        const policies = Object.entries(run.policies)
          .map(([policy, days]) => `${policy} ${days === null ? 'off' : `${days}d`}`)
          .join(', ');
        process.stdout.write(
          `retention run (${policies}):\n${counted(run.counts) || '  nothing past its period'}\n`,
        );
      });
    });
}
