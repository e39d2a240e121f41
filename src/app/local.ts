import { createConsoleNotifier, runConsole, triageRef } from '../bots/console/console.ts';
import { ensureDemoKnowledgeBase } from '../core/kb/kb.demo.ts';
import { ensureRole } from '../core/people/people.service.ts';
import { getSetting, setSetting, triageChannelKey } from '../core/settings/settings.ts';
import type { Config } from './config.ts';
import type { App, AppOptions } from './runtime.ts';

const consoleNotifier = createConsoleNotifier(process.stdout);

/** What a process adds for local use: the console notifier, so console chats can be delivered. */
export async function localSetup(config: Config): Promise<Partial<AppOptions>> {
  return { notifiers: config.CONSOLE || config.localMode ? [consoleNotifier] : [] };
}

/** Loads the demo knowledge base on the first run (once per database; never fatal). */
export async function loadDemoKnowledgeBase(app: App): Promise<void> {
  const summary = await ensureDemoKnowledgeBase(app.deps.db, app.deps.clock.now()).catch((error: unknown) => {
    app.deps.log.warn({ err: error }, 'demo knowledge base not loaded');
    return null;
  });
  if (summary) app.deps.log.info({ imported: summary.imported }, 'demo knowledge base loaded');
}

/** Runs the console channel on a built app; the console's triage channel is set up on first run. */
export async function startConsole(app: App, options: { as: string; interactive: boolean }) {
  const { db } = app.deps;
  await loadDemoKnowledgeBase(app);
  if ((await getSetting(db, triageChannelKey('console'))) === undefined) {
    await setSetting(db, triageChannelKey('console'), triageRef(), null);
  }
  await runConsole({
    input: process.stdin,
    output: process.stdout,
    interactive: options.interactive,
    as: options.as,
    notifier: consoleNotifier,
    accept: app.accept,
    idle: () => app.idle(),
    ensureRole: async (user, role) => {
      await ensureRole(db, app.deps.config, user, role);
    },
  });
}
