import { PassThrough, Readable } from 'node:stream';
import type { Config } from '../../src/app/config.ts';
import { startConsole } from '../../src/app/local.ts';
import { type App, type AppOptions, buildApp } from '../../src/app/runtime.ts';
import { dropSchema } from './db.ts';

/**
 * An app the way the CLI builds one for `helpdesk chat` or `helpdesk worker`: no console notifier
 * of its own (the console prints through `startConsole`), on the test's schema and queue.
 */
export async function consoleApp(config: Config, options: AppOptions = {}): Promise<App> {
  return buildApp(config, { migrate: true, platforms: false, ...options });
}

export async function closeAll(apps: Array<App | undefined>, config: Config): Promise<void> {
  for (const app of apps) await app?.close();
  await dropSchema(config.DATABASE_SCHEMA);
}

/**
 * One run of the console on `app`: types `lines` as `as`, one after the other (each once the
 * helpdesk is idle, as the console does), and returns everything the run printed.
 */
export async function chat(
  app: App,
  as: string,
  lines: string[],
  options: { interactive?: boolean } = {},
): Promise<string> {
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk) => {
    printed += String(chunk);
  });
  await startConsole(app, {
    as,
    interactive: options.interactive ?? false,
    input: Readable.from(lines.map((line) => `${line}\n`)),
    output,
  });
  return printed;
}

/** The printed blocks (one per message) that contain `text`. */
export function blocksWith(printed: string, text: string): string[] {
  return printed.split('\n\n').filter((block) => block.includes(text));
}
