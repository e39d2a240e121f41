import { Command } from 'commander';
import dotenv from 'dotenv';
import { addApiKeyCli } from './cli-apikey.ts';
import { addDeadLettersCli } from './cli-deadletters.ts';
import { addEvalCli } from './cli-eval.ts';
import { addKbCli } from './cli-kb.ts';
import { addPrivacyCli } from './cli-privacy.ts';
import { configOrExit, fail, packageVersion } from './cli-setup.ts';
import { openDatabase } from './database.ts';
import { loadDemoKnowledgeBase, startConsole, terminalLogger } from './local.ts';
import { createLogger } from './logger.ts';
import { migrateToLatest } from './migrate.ts';
import { type App, buildApp } from './runtime.ts';

dotenv.config({ quiet: true });

function onShutdown(app: App) {
  let closing = false;
  const stop = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.deps.log.info({ signal }, 'shutting down: finishing in-flight jobs');
    await app.close().catch(() => {});
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

const program = new Command()
  .name('helpdesk')
  .description('A chat-first IT helpdesk for Slack and Microsoft Teams')
  .version(packageVersion(), '-v, --version', 'print the version')
  .showHelpAfterError();

program
  .command('start')
  .description(
    'run everything in one process: HTTP server, workers, and the console chat when no platform is configured',
  )
  .option('--interactive', 'run the console chat as in a terminal even when stdin is not one')
  .action(async (options: { interactive?: boolean }) => {
    const config = configOrExit();
    const interactive = config.CONSOLE && Boolean(options.interactive || process.stdin.isTTY);
    const log = interactive ? terminalLogger(config) : undefined;
    const app = await buildApp(config, { http: true, worker: true, ...(log ? { log } : {}) }).catch(fail);
    onShutdown(app);
    // Whatever the channels: a first local start answers from the demo articles, console or not.
    if (config.localMode) await loadDemoKnowledgeBase(app);
    await app.listen().then(
      (address) => app.deps.log.info({ address }, 'helpdesk is serving HTTP'),
      (error) =>
        interactive
          ? app.deps.log.warn({ err: error }, 'HTTP not started; the chat runs without it')
          : fail(error),
    );
    if (interactive) {
      await startConsole(app, { as: 'alice', interactive: true });
      await app.close();
      process.exit(0);
    }
  });

program
  .command('serve')
  .description(
    'run the HTTP server: POST /slack/events, POST /api/messages, /api/v1 (REST API), GET /healthz, /readyz, /metrics',
  )
  .action(async () => {
    const config = configOrExit();
    const app = await buildApp(config, { http: true, worker: config.localMode }).catch(fail);
    onShutdown(app);
    const address = await app.listen().catch(fail);
    app.deps.log.info({ address }, 'helpdesk is serving HTTP');
  });

program
  .command('worker')
  .description(
    'run the job workers (event processing, delivery, SLA timers); WORKER_HEALTH_PORT serves /healthz, /readyz, /metrics',
  )
  .action(async () => {
    const config = configOrExit();
    const app = await buildApp(config, { worker: true, healthPort: config.WORKER_HEALTH_PORT }).catch(fail);
    onShutdown(app);
    app.deps.log.info(
      { backend: app.queue.backend, health: app.healthAddress ?? 'off (WORKER_HEALTH_PORT unset)' },
      'helpdesk worker is running',
    );
  });

program
  .command('migrate')
  .description('apply database migrations and exit (non-zero on failure)')
  .action(async () => {
    const config = configOrExit();
    const database = await openDatabase(config).catch(fail);
    const outcome = await migrateToLatest(database.db);
    await database.close();
    if (outcome.error)
      fail(new Error(`migration failed: ${(outcome.error as Error).message ?? outcome.error}`));
    process.stdout.write(
      outcome.applied.length ? `applied: ${outcome.applied.join(', ')}\n` : 'already up to date\n',
    );
  });

program
  .command('chat')
  .description('chat with the helpdesk in this terminal (also reads lines from a pipe)')
  .option('--as <name>', 'who you are: alice, agent-bob, admin, ...', 'alice')
  .option('--interactive', 'as in a terminal even when stdin is not one: prompt, help, logs to a file')
  .action(async (options: { as: string; interactive?: boolean }) => {
    const config = configOrExit();
    const interactive = Boolean(options.interactive || process.stdin.isTTY);
    // In a terminal the logs go to a file; from a pipe, warnings stay on stderr for the script.
    const log = interactive ? terminalLogger(config) : createLogger({ ...config, LOG_LEVEL: 'warn' });
    const app = await buildApp(config, { worker: true, log }).catch(fail);
    onShutdown(app);
    await startConsole(app, { as: options.as, interactive });
    await app.close();
    process.exit(0);
  });

addKbCli(program);
addEvalCli(program);
addPrivacyCli(program);
addApiKeyCli(program);
addDeadLettersCli(program);

await program.parseAsync(process.argv);
