import type { Category, Priority } from '../tickets/ticket.ts';
import { titleFrom } from '../tickets/ticket.ts';

/** Triage labels, as `shared/TAXONOMY.md` defines them. */
export interface Triage {
  category: Category;
  priority: Priority;
  intent: 'question' | 'incident' | 'request';
  self_service: boolean;
  language: string;
  sentiment: 'negative' | 'neutral' | 'positive';
  title: string;
  confidence: number;
}

export interface RouteInput {
  /** The requester's words, unredacted; the router redacts before any model sees them. */
  text: string;
  requesterId: number;
  conversationId: number;
  /** Agent state kept in Postgres for this conversation (e.g. a clarifying question in flight). */
  state: Record<string, unknown> | null;
}

export interface ArticleRef {
  id: string;
  title: string;
  url?: string | undefined;
}

/** What the router decided; core carries it out. */
export type RouteDecision =
  | { kind: 'file'; triage: Triage; summary?: string | undefined }
  | {
      kind: 'answer';
      triage: Triage;
      answer: string;
      articles: ArticleRef[];
      /** The recorded answer (kb_answers id), so its buttons name exactly this answer. */
      answerId?: number | undefined;
    }
  | {
      kind: 'clarify';
      question: string;
      state: Record<string, unknown>;
      /** A fixed question (from the catalogues), so core asks it in the language it chose; none for a model's own. */
      ask?: 'more' | 'unsure' | undefined;
      /** The language detected in the message (ISO 639-1). */
      language?: string | undefined;
    }
  | { kind: 'chatter'; reply: string; say?: 'thanks' | 'hello' | undefined; language?: string | undefined };

/** The port the agents fill: reads one request and decides what to do with it. */
export interface Router {
  route(input: RouteInput): Promise<RouteDecision>;
}

/** The labels of a request nothing has read: other, P3, an incident. */
export function defaultTriage(text: string): Triage {
  return {
    category: 'other',
    priority: 'P3',
    intent: 'incident',
    self_service: false,
    language: 'en',
    sentiment: 'neutral',
    title: titleFrom(text),
    confidence: 0,
  };
}

/** Until an agent router is wired in, every request becomes a ticket with default labels. */
export const fileEverythingRouter: Router = {
  async route(input) {
    return { kind: 'file', triage: defaultTriage(input.text) };
  },
};
