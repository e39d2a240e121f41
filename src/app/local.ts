import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { sql } from 'kysely';
import {
  type ConsoleNotifier,
  createConsoleNotifier,
  type MessageIds,
  runConsole,
  triageRef,
} from '../bots/console/console.ts';
import type { ChatUser } from '../core/chat/chat.ts';
import { setConversationState, stateConversationOf } from '../core/conversations/conversation.repository.ts';
import type { Db } from '../core/db.ts';
import { jobId } from '../core/jobs/jobs.ts';
import { ensureDemoKnowledgeBase } from '../core/kb/kb.demo.ts';
import { deliverPendingOf } from '../core/outbox/deliver.ts';
import { ensureRole } from '../core/people/people.service.ts';
import { getSetting, setSetting, triageChannelKey } from '../core/settings/settings.ts';
import type { Config } from './config.ts';
import { createTerminalLogger } from './logger.ts';
import type { App } from './runtime.ts';

/**
 * The logger of a process that chats in this terminal: logs go to a file in DATA_DIR, named once
 * here, and a warning shows as one line, so nothing breaks the prompt.
 */
export function terminalLogger(config: Config) {
  const file = join(config.DATA_DIR, 'helpdesk.log');
  process.stderr.write(`Logs go to ${file}\n`);
  return createTerminalLogger(config, file, process.stderr);
}

/** Loads the demo knowledge base on the first run (once per database; never fatal). */
export async function loadDemoKnowledgeBase(app: App): Promise<void> {
  const summary = await ensureDemoKnowledgeBase(app.deps.db, app.deps.clock.now()).catch((error: unknown) => {
    app.deps.log.warn({ err: error }, 'demo knowledge base not loaded');
    return null;
  });
  if (!summary) return;
  app.deps.log.info({ imported: summary.imported }, 'demo knowledge base loaded');
  // Embedded for vector search by the kb-embed job (it does nothing without an embeddings model).
  await app.deps.jobs
    .enqueue('kb-embed', {}, { jobId: jobId('kb-embed', 'demo') })
    .catch((error: unknown) =>
      app.deps.log.warn({ err: error }, 'demo knowledge base not queued for embedding'),
    );
}

/** The console's message numbers come from the database, so no id names two messages across runs. */
function databaseIds(db: Db): MessageIds {
  return async () => {
    const { rows } = await sql<{ id: number }>`select nextval('console_message_ids') as id`.execute(db);
    return Number(rows[0]?.id);
  };
}

/** Where an earlier run showed a message: a post by its outbox row, a typed message by its thread. */
async function channelOf(db: Db, messageId: string): Promise<string | undefined> {
  if (messageId.startsWith('c')) {
    const posted = await db
      .selectFrom('outbox')
      .select(sql<string>`target->>'channel'`.as('channel'))
      .where('platform', '=', 'console')
      .where('platform_message_id', '=', messageId)
      .where('op', '!=', 'update')
      .executeTakeFirst();
    return posted?.channel;
  }
  const typed = await db
    .selectFrom('conversations')
    .select('channel')
    .where('platform', '=', 'console')
    .where('thread', '=', messageId)
    .executeTakeFirst();
  return typed?.channel;
}

/** Forgets what the agents were in the middle of with someone (a clarifying question): a new run. */
async function newConversation(db: Db, user: ChatUser): Promise<void> {
  const chat = await stateConversationOf(db, {
    platform: 'console',
    conversation: { platform: 'console', tenant: user.tenant, channel: `dm-${user.userId}` },
    isDirect: true,
  });
  if (chat?.state) await setConversationState(db, chat.id, null, new Date());
}

const POLL_MS = 100;

/**
 * The console consumes its own outbox rows: whichever process ran the job that wrote them (this
 * one, or a `helpdesk worker`, which leaves them pending), they are printed here, where the person
 * is typing. This process's own delivery jobs print at once; the rows others left are polled for.
 */
function consumeConsoleOutbox(app: App, notifier: ConsoleNotifier): { stop(): Promise<void> } {
  const deps = { ...app.deps, notifiers: { ...app.deps.notifiers, console: notifier } };
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      const sent = await deliverPendingOf(deps, 'console').catch((error: unknown) => {
        app.deps.log.warn({ err: error }, 'console delivery failed; retrying');
        return 0;
      });
      if (sent === 0 && !stopped) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, POLL_MS);
        });
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}

/** Runs the console channel on a built app; the console's triage channel is set up on first run. */
export async function startConsole(
  app: App,
  options: { as: string; interactive: boolean; input?: Readable; output?: Writable },
) {
  const { db } = app.deps;
  await loadDemoKnowledgeBase(app);
  if ((await getSetting(db, triageChannelKey('console'))) === undefined) {
    await setSetting(db, triageChannelKey('console'), triageRef(), null);
  }
  const output = options.output ?? process.stdout;
  const notifier = createConsoleNotifier(output, databaseIds(db));
  // The console exists once its terminal does: from now on this process's jobs deliver to it.
  const before = app.deps.notifiers.console;
  app.deps.notifiers.console = notifier;
  const delivery = consumeConsoleOutbox(app, notifier);
  try {
    await runConsole({
      input: options.input ?? process.stdin,
      output,
      interactive: options.interactive,
      as: options.as,
      notifier,
      accept: app.accept,
      idle: () => app.idle(),
      ensureRole: async (user, role) => {
        await ensureRole(db, app.deps.config, user, role);
      },
      channelOf: (messageId) => channelOf(db, messageId),
      newConversation: (user) => newConversation(db, user),
    });
  } finally {
    await delivery.stop();
    app.deps.notifiers.console = before;
  }
}
