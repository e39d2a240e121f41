/** Plain texts the helpdesk says on its own (cards live in cards.ts); the words are in the catalogues. */
import { type Messages, messagesFor } from '../i18n/i18n.ts';
import type { OutMessage } from './chat.ts';

/** Said once where the bot is added: what it does and the first admin step (in the team's language). */
export function welcomeMessage(m: Messages = messagesFor('en')): OutMessage {
  return { text: m.welcome };
}
