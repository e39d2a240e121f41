/** Plain texts the helpdesk says on its own (cards live in cards.ts); the words are in the catalogues. */
import { type Messages, messagesFor } from '../i18n/i18n.ts';
import type { OutMessage } from './chat.ts';

/** Said once where the bot is added: what it does and the first admin step (in the team's language). */
export function welcomeMessage(m: Messages = messagesFor('en')): OutMessage {
  return { text: m.welcome };
}

/** The answer to a command typed again while the first is still being answered (or just was). */
export const REPEATED_COMMAND_MESSAGE = messagesFor('en').repeatedCommand;
