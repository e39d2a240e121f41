/** Plain texts the helpdesk says on its own (cards live in cards.ts). */
import type { OutMessage } from './chat.ts';

/** Said once where the bot is added: what it does and the first admin step. */
export function welcomeMessage(): OutMessage {
  return {
    text:
      "👋 Hi! I'm the IT helpdesk. Message me (or mention me) with what's wrong and I'll answer or file a ticket. " +
      'Type `helpdesk help` for commands. Admins: `helpdesk config triage-channel here` makes this the channel where tickets are worked.',
  };
}

export const UNREADABLE_MESSAGE = "I couldn't read that message, so I couldn't file it.";

/** The answer to a command typed again while the first is still being answered (or just was). */
export const REPEATED_COMMAND_MESSAGE =
  'You sent this a moment ago, so I am answering that one rather than doing it twice.';
