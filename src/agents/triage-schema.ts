import { z } from 'zod';
import type { Triage } from '../core/routing/router.ts';
import { CATEGORIES, PRIORITIES } from '../core/tickets/ticket.ts';
import { answerSchema } from './knowledge.ts';

/** The triage labels of `TAXONOMY.md`; every model answer goes through `.parse()`. */
export const triageSchema = z.object({
  category: z
    .enum(CATEGORIES)
    .describe('access, hardware, software, network, email, printing, security or other'),
  priority: z
    .enum(PRIORITIES)
    .describe(
      'P1 outage affecting many, P2 one person fully blocked or deadline today, P3 degraded, P4 how-to or no urgency',
    ),
  intent: z.enum(['question', 'incident', 'request']),
  self_service: z.boolean().describe('true when a knowledge-base article could let the person fix it alone'),
  language: z.string().min(2).max(8).describe('ISO 639-1 code, e.g. en, de'),
  sentiment: z.enum(['negative', 'neutral', 'positive']),
  title: z.string().min(1).max(120).describe('a short, clean ticket title'),
  confidence: z.number().min(0).max(1),
});

// Fails to compile if the schema and the core port ever drift apart.
const _sameShape: z.infer<typeof triageSchema> extends Triage
  ? Triage extends z.infer<typeof triageSchema>
    ? true
    : never
  : never = true;
void _sameShape;

/** What the model returns for the router: triage plus whether the request is too vague to act on. */
export const routedTriageSchema = triageSchema.extend({
  vague: z.boolean().describe('true when the request is too vague to act on and one question would help'),
  clarifying_question: z
    .string()
    .max(300)
    .nullable()
    .describe('the one question to ask when vague, else null'),
  chatter: z.boolean().describe('true for greetings, thanks or acknowledgements that need no action'),
});
export type RoutedTriage = z.infer<typeof routedTriageSchema>;

/** Triage and the knowledge answer in one call, when retrieval found articles that may fit. */
export const triageAnswerSchema = routedTriageSchema.extend({ kb: answerSchema });
