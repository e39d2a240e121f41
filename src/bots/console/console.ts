import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ActionEvent, ChatEvent, ChatUser, ConversationRef, Dialog } from '../../core/chat/chat.ts';
import type { Delivery, DeliveryReceipt, Notifier } from '../../core/chat/notifier.ts';
import { type Pressable, renderDialog, renderText } from './render.ts';

export const CONSOLE_TENANT = 'local';
export const TRIAGE_CHANNEL = 'triage';

export function consoleUser(name: string): ChatUser {
  const id = name.toLowerCase().replace(/[^a-z0-9._-]/g, '');
  return {
    platform: 'console',
    tenant: CONSOLE_TENANT,
    userId: id,
    displayName: id,
    email: `${id}@example.com`,
  };
}

export function triageRef(): ConversationRef {
  return { platform: 'console', tenant: CONSOLE_TENANT, channel: TRIAGE_CHANNEL, isDirect: false };
}

interface ConsoleState {
  messageSeq: number;
  buttonSeq: number;
  pressables: Map<number, Pressable>;
  dialogs: Map<number, { dialog: Dialog; target: ConversationRef }>;
  channels: Map<string, string>;
}

/** Prints what the helpdesk sends to the terminal; every message gets an id to reply to in its thread. */
export function createConsoleNotifier(out: Writable): Notifier & { state: ConsoleState } {
  const state: ConsoleState = {
    messageSeq: 0,
    buttonSeq: 0,
    pressables: new Map(),
    dialogs: new Map(),
    channels: new Map(),
  };
  const write = (line: string) => out.write(`${line}\n`);
  const where = (target: ConversationRef) => {
    const place = target.channel === TRIAGE_CHANNEL ? '#triage' : target.channel.replace(/^dm-/, 'dm ');
    return target.thread ? `${place} ↳ ${target.thread}` : place;
  };
  return {
    platform: 'console',
    state,
    async deliver(delivery: Delivery): Promise<DeliveryReceipt> {
      const messageId = `c${++state.messageSeq}`;
      state.channels.set(messageId, delivery.target.channel);
      const register = (thread: string | undefined) => (action: Pressable['action'], number: number) =>
        state.pressables.set(number, {
          number,
          action,
          messageId: delivery.op === 'update' ? delivery.messageId : messageId,
          channel: delivery.target.channel,
          thread,
        });
      const next = () => ++state.buttonSeq;
      switch (delivery.op) {
        case 'post':
          write(
            `\n[${where(delivery.target)}] (${messageId}) 🤖 ${renderText(delivery.message, next, register(delivery.target.thread))}`,
          );
          return { messageId };
        case 'update':
          write(
            `\n[${where(delivery.target)}] (${delivery.messageId} updated) 🤖 ${renderText(delivery.message, next, register(delivery.target.thread))}`,
          );
          return { messageId: delivery.messageId };
        case 'ephemeral':
          write(
            `\n[${where(delivery.target)}] (only ${delivery.userId}) 🤖 ${renderText(delivery.message, next, register(delivery.target.thread))}`,
          );
          return { messageId };
        case 'dialog': {
          const number = next();
          state.dialogs.set(number, { dialog: delivery.dialog, target: delivery.target });
          write(`\n[${where(delivery.target)}] 🤖 ${renderDialog(delivery.dialog, number)}`);
          return { messageId };
        }
        case 'home':
          write(
            `\n[home of ${delivery.userId}] 🤖 ${delivery.messages.map((m) => renderText(m, next, register(undefined))).join('\n')}`,
          );
          return { messageId };
      }
    },
  };
}

export interface ConsoleOptions {
  input: Readable;
  output: Writable;
  interactive: boolean;
  as: string;
  notifier: ReturnType<typeof createConsoleNotifier>;
  accept: (event: ChatEvent) => Promise<unknown>;
  /** Resolves when every accepted event has been processed and every message delivered. */
  idle: () => Promise<void>;
  /** Makes sure a console identity has a role (local mode only: `/as agent-bob`, `/as admin`). */
  ensureRole: (user: ChatUser, role: 'agent' | 'admin') => Promise<void>;
}

const HELP = `Console chat. Type a message to ask IT for help, or:
  /as <name>          switch identity (/as alice, /as agent-bob, /as admin)
  >c12 <text>         reply in the thread of message c12 (agents: "note: ..." keeps it internal)
  /press <n> [value]  press button n (selects take a value; Resolve/Note take the text)
  /form <n> k="v" ..  submit form n
  helpdesk <command>  run a command (helpdesk help)
  /quit               leave`;

/** The local console channel: reads lines (a TTY or a pipe), turns them into chat events, shows replies. */
export async function runConsole(options: ConsoleOptions): Promise<void> {
  const { output, notifier } = options;
  let user = consoleUser(options.as);
  const say = (line: string) => output.write(`${line}\n`);
  const switchTo = async (name: string) => {
    user = consoleUser(name);
    if (user.userId === 'admin') await options.ensureRole(user, 'admin');
    else if (user.userId.startsWith('agent')) await options.ensureRole(user, 'agent');
  };
  await switchTo(options.as);
  if (options.interactive) say(`${HELP}\nYou are ${user.userId}.`);
  const dm = (): ConversationRef => ({
    platform: 'console',
    tenant: CONSOLE_TENANT,
    channel: `dm-${user.userId}`,
    isDirect: true,
  });
  const base = () => ({ platform: 'console' as const, eventId: randomUUID(), sender: user });

  const handle = async (line: string): Promise<boolean> => {
    const text = line.trim();
    if (!text) return true;
    if (text === '/quit' || text === '/exit') return false;
    if (text === '/help') return (say(HELP), true);
    const as = /^\/as\s+(\S+)/.exec(text);
    if (as?.[1]) {
      await switchTo(as[1]);
      say(`You are now ${user.userId}.`);
      return true;
    }
    if (/^\/?helpdesk\b/i.test(text)) {
      await options.accept({
        ...base(),
        kind: 'command',
        text: text.replace(/^\/?helpdesk\s*/i, ''),
        conversation: dm(),
      });
      return true;
    }
    const reply = /^>(c\d+|u\d+)\s+([\s\S]+)/.exec(text);
    if (reply?.[1] && reply[2]) {
      const channel = notifier.state.channels.get(reply[1]) ?? `dm-${user.userId}`;
      const conversation: ConversationRef = {
        platform: 'console',
        tenant: CONSOLE_TENANT,
        channel,
        thread: reply[1],
        isDirect: channel.startsWith('dm-'),
      };
      await options.accept({
        ...base(),
        kind: 'message',
        text: reply[2],
        messageId: `u${++notifier.state.messageSeq}`,
        isDirect: conversation.isDirect ?? false,
        mentionsBot: true,
        conversation,
      });
      return true;
    }
    const press = /^\/press\s+(\d+)\s*([\s\S]*)$/.exec(text);
    if (press) {
      const pressable = notifier.state.pressables.get(Number(press[1]));
      if (!pressable) return (say(`There is no button ${press[1]}.`), true);
      await options.accept(actionEvent(base(), pressable, (press[2] ?? '').trim()));
      return true;
    }
    const form = /^\/form\s+(\d+)\s*([\s\S]*)$/.exec(text);
    if (form) {
      const open = notifier.state.dialogs.get(Number(form[1]));
      if (!open) return (say(`There is no form ${form[1]}.`), true);
      const inputs: Record<string, string> = {};
      for (const match of (form[2] ?? '').matchAll(/(\w+)="([^"]*)"/g))
        inputs[match[1] ?? ''] = match[2] ?? '';
      await options.accept({
        ...base(),
        kind: 'action',
        actionId: open.dialog.callbackId,
        value: open.dialog.privateValue,
        inputs,
        conversation: open.target,
      });
      return true;
    }
    if (text.startsWith('/')) return (say('Unknown console command; /help lists them.'), true);
    const messageId = `u${++notifier.state.messageSeq}`;
    notifier.state.channels.set(messageId, `dm-${user.userId}`);
    say(`(${messageId}) ${user.userId}: ${text}`);
    await options.accept({
      ...base(),
      kind: 'message',
      text,
      messageId,
      isDirect: true,
      mentionsBot: false,
      conversation: { ...dm(), thread: messageId },
    });
    return true;
  };

  const lines = createInterface({ input: options.input, terminal: false });
  if (options.interactive) output.write('> ');
  for await (const line of lines) {
    const goOn = await handle(line).catch((error: unknown) => {
      say(`⚠️  ${error instanceof Error ? error.message : String(error)}`);
      return true;
    });
    await options.idle();
    if (!goOn) break;
    if (options.interactive) output.write('> ');
  }
  lines.close();
}

function actionEvent(
  base: { platform: 'console'; eventId: string; sender: ChatUser },
  pressable: Pressable,
  extra: string,
): ActionEvent {
  const { action } = pressable;
  const conversation: ConversationRef = {
    platform: 'console',
    tenant: CONSOLE_TENANT,
    channel: pressable.channel,
    thread: pressable.thread,
    isDirect: pressable.channel.startsWith('dm-'),
  };
  const event: ActionEvent = {
    ...base,
    kind: 'action',
    actionId: action.actionId,
    value: '',
    conversation,
    messageId: pressable.messageId,
  };
  if (action.type === 'button') {
    event.value = action.value;
    if (extra) event.inputs = { note: extra };
  } else if (action.type === 'select') {
    const option =
      action.options.find((o) => o.label.toLowerCase() === extra.toLowerCase()) ?? action.options[0];
    event.value = option?.value ?? '';
    event.inputs = { priority: (option?.value ?? '').split(':')[1] ?? extra };
  } else {
    event.value = action.value;
    event.inputs = { user: consoleUser(extra || 'nobody').userId };
  }
  return event;
}
