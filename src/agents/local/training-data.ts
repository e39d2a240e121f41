import type { Triage } from '../../core/routing/router.ts';
import { type Category, isCategory, isPriority, type Priority } from '../../core/tickets/ticket.ts';
import {
  ACCESS_EXAMPLES,
  HARDWARE_EXAMPLES,
  NETWORK_EXAMPLES,
  SOFTWARE_EXAMPLES,
} from './training-access.ts';
import {
  ACCESS_MAIL,
  EMAIL_MAIL,
  HARDWARE_MAIL,
  NETWORK_MAIL,
  OTHER_MAIL,
  PRINTING_MAIL,
  SECURITY_MAIL,
  SOFTWARE_MAIL,
} from './training-mail.ts';
import {
  EMAIL_EXAMPLES,
  OTHER_EXAMPLES,
  PRINTING_EXAMPLES,
  PROCESS_EXAMPLES,
  SECURITY_EXAMPLES,
} from './training-other.ts';
import {
  ACCESS_WORKPLACE,
  EMAIL_WORKPLACE,
  HARDWARE_WORKPLACE,
  NETWORK_WORKPLACE,
  OTHER_WORKPLACE,
  PRINTING_WORKPLACE,
  SECURITY_WORKPLACE,
  SOFTWARE_WORKPLACE,
} from './training-workplace.ts';

export interface TrainingExample {
  text: string;
  category: Category;
  priority: Priority;
  intent: Triage['intent'];
  self_service: boolean;
}

/** Parses `<category> <priority> <intent> <y|n> | <text>` lines; a bad line is a bug, so it throws. */
export function parseExamples(block: string): TrainingExample[] {
  return block
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const bar = line.indexOf(' | ');
      const [category = '', priority = '', intent = '', selfService = ''] = line.slice(0, bar).split(' ');
      const text = line.slice(bar + 3).trim();
      if (
        bar < 0 ||
        !isCategory(category) ||
        !isPriority(priority) ||
        !['question', 'incident', 'request'].includes(intent) ||
        !['y', 'n'].includes(selfService) ||
        !text
      ) {
        throw new Error(`bad training line: ${line}`);
      }
      return {
        text,
        category,
        priority,
        intent: intent as Triage['intent'],
        self_service: selfService === 'y',
      };
    });
}

export const TRAINING_EXAMPLES: TrainingExample[] = [
  ACCESS_EXAMPLES,
  HARDWARE_EXAMPLES,
  SOFTWARE_EXAMPLES,
  NETWORK_EXAMPLES,
  EMAIL_EXAMPLES,
  PRINTING_EXAMPLES,
  SECURITY_EXAMPLES,
  OTHER_EXAMPLES,
  PROCESS_EXAMPLES,
  ACCESS_WORKPLACE,
  HARDWARE_WORKPLACE,
  SOFTWARE_WORKPLACE,
  NETWORK_WORKPLACE,
  EMAIL_WORKPLACE,
  PRINTING_WORKPLACE,
  SECURITY_WORKPLACE,
  OTHER_WORKPLACE,
  ACCESS_MAIL,
  HARDWARE_MAIL,
  SOFTWARE_MAIL,
  NETWORK_MAIL,
  EMAIL_MAIL,
  PRINTING_MAIL,
  SECURITY_MAIL,
  OTHER_MAIL,
].flatMap(parseExamples);
