import type { ColumnType, Generated, Selectable } from 'kysely';

export type ArticleStatus = 'draft' | 'published' | 'rejected';

export interface KbArticlesTable {
  /** Stable id: the importer's own id or a slug, so re-imports update instead of duplicating. */
  id: string;
  title: string;
  body: string;
  tags: Generated<string[]>;
  source: Generated<string>;
  url: string | null;
  status: Generated<ArticleStatus>;
  helpful_count: Generated<number>;
  unhelpful_count: Generated<number>;
  content_hash: string;
  source_ticket_id: number | null;
  created_by: number | null;
  reviewed_by: number | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  /** Generated tsvector; never written. */
  search: ColumnType<string, never, never>;
}

export interface KbAnswersTable {
  id: Generated<number>;
  conversation_id: number | null;
  requester_id: number | null;
  /** The requester's own words: the ticket filed from this answer carries them. */
  question: string;
  answer: string;
  article_ids: ColumnType<string[], string[] | undefined, string[]>;
  triage: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  outcome: 'fixed' | 'more-help' | null;
  ticket_id: number | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  decided_at: Date | null;
}

export type LlmOutcome = 'ok' | 'error' | 'timeout' | 'invalid' | 'cached';

export interface LlmCallsTable {
  id: Generated<number>;
  model: string;
  purpose: string;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number | null;
  latency_ms: number;
  outcome: LlmOutcome;
  cached: Generated<boolean>;
  input_hash: string | null;
  /** Redacted input only. */
  input: string | null;
  error: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface LlmCacheTable {
  key: string;
  purpose: string;
  model: string;
  response: ColumnType<unknown, string, string>;
  created_at: Date;
}

export interface KnowledgeTables {
  kb_articles: KbArticlesTable;
  kb_answers: KbAnswersTable;
  llm_calls: LlmCallsTable;
  llm_cache: LlmCacheTable;
}

export type ArticleRow = Selectable<KbArticlesTable>;
export type AnswerRow = Selectable<KbAnswersTable>;
