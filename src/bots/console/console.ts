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

/** Where the console's message numbers come from: a database sequence in the app, a counter in tests. */
export type MessageIds = () => Promise<number>;

/** Numbers from 1, for one process that keeps no threads across runs (tests). */
function counterIds(): MessageIds {
  let last = 0;
  return async () => ++last;
}

interface ConsoleState {
  buttonSeq: number;
  pressables: Map<number, Pressable>;
  dialogs: Map<number, { dialog: Dialog; target: ConversationRef }>;
  /** The channel of every message this process showed or sent, by its id (`c12`, `u3`). */
  channels: Map<string, string>;
}

export interface ConsoleNotifier extends Notifier {
  state: ConsoleState;
  /** The next number for an id people see; `u` and `c` ids share it, so every id names one message. */
  nextId: MessageIds;
}

/** The id of a message that shows none (an ephemeral answer, a form, a thread reply). */
const hiddenId = () => `x${randomUUID()}`;

/** How a conversation is shown: `#triage`, `dm alice`, with `↳ c12` inside a thread. */
function placeOf(target: ConversationRef): string {
  const place = target.channel.startsWith('dm-') ? `dm ${target.channel.slice(3)}` : `#${target.channel}`;
  return target.thread ? `${place} ↳ ${target.thread}` : place;
}

/** Prints what the helpdesk sends to the terminal; every message gets an id to reply to in its thread. */
export function createConsoleNotifier(out: Writable, nextId: MessageIds = counterIds()): ConsoleNotifier {
  const state: ConsoleState = {
    buttonSeq: 0,
    pressables: new Map(),
    dialogs: new Map(),
    channels: new Map(),
  };
  const write = (line: string) => out.write(`${line}\n`);
  return {
    platform: 'console',
    state,
    nextId,
    async deliver(delivery: Delivery): Promise<DeliveryReceipt> {
      // A post gets the next number, shown so that people can answer in its thread; an update
      // keeps the id of the message it replaces; what shows no id gets one nobody types.
      const messageId =
        delivery.op === 'update'
          ? delivery.messageId
          : delivery.op === 'post'
            ? `c${await nextId()}`
            : hiddenId();
      if (delivery.op === 'post') state.channels.set(messageId, delivery.target.channel);
      const register = (thread: string | undefined) => (action: Pressable['action'], number: number) =>
        state.pressables.set(number, {
          number,
          action,
          messageId,
          channel: delivery.target.channel,
          thread,
        });
      const next = () => ++state.buttonSeq;
      switch (delivery.op) {
        case 'post':
          write(
            `\n[${placeOf(delivery.target)}] (${messageId}) 🤖 ${renderText(delivery.message, next, register(delivery.target.thread))}`,
          );
          return { messageId };
        case 'update':
          write(
            `\n[${placeOf(delivery.target)}] (${messageId} updated) 🤖 ${renderText(delivery.message, next, register(delivery.target.thread))}`,
          );
          return { messageId };
        case 'ephemeral':
          write(
            `\n[${placeOf(delivery.target)}] (only ${delivery.userId}) 🤖 ${renderText(delivery.message, next, register(delivery.target.thread))}`,
          );
          return { messageId };
        case 'dialog': {
          const number = next();
          state.dialogs.set(number, { dialog: delivery.dialog, target: delivery.target });
          write(`\n[${placeOf(delivery.target)}] 🤖 ${renderDialog(delivery.dialog, number)}`);
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
  notifier: ConsoleNotifier;
  accept: (event: ChatEvent) => Promise<unknown>;
  /** Resolves when every accepted event has been processed and every message delivered. */
  idle: () => Promise<void>;
  /** Makes sure a console identity has a role (local mode only: `/as agent-bob`, `/as admin`). */
  ensureRole: (user: ChatUser, role: 'agent' | 'admin') => Promise<void>;
  /** The channel of a message an earlier run showed (`>c12` after a restart). */
  channelOf?: (messageId: string) => Promise<string | undefined>;
  /** Called the first time a run speaks as someone: every run starts a new conversation. */
  newConversation?: (user: ChatUser) => Promise<void>;
}

const HELP = `Console chat. Type a message to ask IT for help, or:
  /as <name>          switch identity (/as alice, /as agent-bob, /as admin)
  >c12 <text>         reply in the thread of message c12 (agents: "note: ..." keeps it internal)
  /press <n> [value]  press button n (selects take a value; Resolve/Note take the text)
  /form <n> k="v" ..  submit form n
  helpdesk <command>  run a command (helpdesk help), also inside a thread: >c12 helpdesk ...
  /quit               leave`;

const COMMAND = /^\/?helpdesk\b\s*/i;

/** The local console channel: reads lines (a TTY or a pipe), turns them into chat events, shows replies. */
export async function runConsole(options: ConsoleOptions): Promise<void> {
  const { output, notifier } = options;
  let user = consoleUser(options.as);
  const spoken = new Set<string>();
  const say = (line: string) => output.write(`${line}\n`);
  const switchTo = async (name: string) => {
    user = consoleUser(name);
    if (user.userId === 'admin') await options.ensureRole(user, 'admin');
    else if (user.userId.startsWith('agent')) await options.ensureRole(user, 'agent');
    if (!spoken.has(user.userId)) {
      spoken.add(user.userId);
      await options.newConversation?.(user);
    }
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
  // A command is a command wherever it is typed: in a thread it runs there (`here` is that channel).
  const command = (text: string, conversation: ConversationRef) =>
    options.accept({ ...base(), kind: 'command', text: text.replace(COMMAND, ''), conversation });
  const nextMessageId = async () => `u${await notifier.nextId()}`;

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
    if (COMMAND.test(text)) {
      await command(text, dm());
      return true;
    }
    const reply = /^>([cu]\d+)\s+([\s\S]+)/.exec(text);
    if (reply?.[1] && reply[2]) {
      const thread = reply[1];
      const channel = notifier.state.channels.get(thread) ?? (await options.channelOf?.(thread));
      if (!channel) {
        say(`There is no message ${thread}.`);
        return true;
      }
      const conversation: ConversationRef = {
        platform: 'console',
        tenant: CONSOLE_TENANT,
        channel,
        thread,
        isDirect: channel.startsWith('dm-'),
      };
      if (COMMAND.test(reply[2])) {
        await command(reply[2], conversation);
        return true;
      }
      await options.accept({
        ...base(),
        kind: 'message',
        text: reply[2],
        messageId: hiddenId(),
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
    const messageId = await nextMessageId();
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
