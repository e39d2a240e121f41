import { PassThrough } from 'node:stream';
import type { Config } from '../../src/app/config.ts';
import { type App, buildApp } from '../../src/app/runtime.ts';
import { createConsoleNotifier } from '../../src/bots/console/console.ts';
import type { ChatEvent, ChatUser, ConversationRef } from '../../src/core/chat/chat.ts';
import type { Notifier } from '../../src/core/chat/notifier.ts';
import type { fixedClock } from '../../src/core/clock.ts';
import type { CoreDeps } from '../../src/core/deps.ts';
import type { Logger } from '../../src/core/logger.ts';
import type { Router } from '../../src/core/routing/router.ts';
import type { TicketHook } from '../../src/core/tickets/ticket.hooks.ts';
import { dropSchema, testConfig } from './db.ts';

export interface TestApp extends App {
  /** Everything the console notifier printed. */
  output(): string;
  consoleNotifier: ReturnType<typeof createConsoleNotifier>;
}

/**
 * Builds the whole app (HTTP + workers + core) for one test on the real Postgres and Redis, in its
 * own schema and queue. Pass `backend: 'postgres'` for BullMQ's Postgres backend.
 */
export async function startTestApp(
  options: {
    env?: Record<string, string>;
    backend?: 'redis' | 'postgres';
    notifiers?: Notifier[];
    router?: Router;
    ticketHooks?: TicketHook<CoreDeps>[];
    clock?: ReturnType<typeof fixedClock>;
    http?: boolean;
    config?: Config;
    /** The process logger (tests that read log lines pass one built on their own destination). */
    log?: Logger;
  } = {},
): Promise<TestApp> {
  const config = options.config ?? testConfig(options.env, options.backend);
  const stream = new PassThrough();
  let printed = '';
  stream.on('data', (chunk) => {
    printed += String(chunk);
  });
  const consoleNotifier = createConsoleNotifier(stream);
  const app = await buildApp(config, {
    http: options.http ?? true,
    worker: true,
    migrate: true,
    platforms: false,
    notifiers: [consoleNotifier, ...(options.notifiers ?? [])],
    ...(options.router ? { router: options.router } : {}),
    ...(options.ticketHooks ? { ticketHooks: options.ticketHooks } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const close = app.close.bind(app);
  return Object.assign(app, {
    output: () => printed,
    consoleNotifier,
    async close() {
      await close();
      if (!options.config) await dropSchema(config.DATABASE_SCHEMA);
    },
  });
}

let seq = 0;
export function consoleUser(name: string): ChatUser {
  return {
    platform: 'console',
    tenant: 'local',
    userId: name,
    displayName: name,
    email: `${name}@example.com`,
  };
}

export function dm(name: string, thread?: string): ConversationRef {
  return { platform: 'console', tenant: 'local', channel: `dm-${name}`, isDirect: true, thread };
}

export function message(
  name: string,
  text: string,
  extra: Partial<Extract<ChatEvent, { kind: 'message' }>> = {},
): ChatEvent {
  const id = `m${++seq}-${Date.now()}`;
  return {
    platform: 'console',
    kind: 'message',
    eventId: `evt-${id}`,
    sender: consoleUser(name),
    conversation: dm(name, id),
    text,
    messageId: id,
    isDirect: true,
    mentionsBot: false,
    ...extra,
  };
}

export function command(name: string, text: string, conversation?: ConversationRef): ChatEvent {
  return {
    platform: 'console',
    kind: 'command',
    eventId: `cmd-${++seq}-${Date.now()}`,
    sender: consoleUser(name),
    conversation: conversation ?? dm(name),
    text,
  };
}
