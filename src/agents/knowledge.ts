/**
 * The knowledge agent: retrieves articles, answers only from them and cites them, or says that
 * nothing fits so the request becomes a ticket instead of a guess.
 */
import { z } from 'zod';
import { messagesFor, toLanguage } from '../core/i18n/i18n.ts';
import { type SearchHit, searchArticles } from '../core/kb/kb.repository.ts';
import { hybridSearch } from '../core/kb/kb.vectors.ts';
import type { ArticleRef } from '../core/routing/router.ts';
import { callStructured, type LlmDeps } from './llm/structured.ts';
import { extractAnswer } from './local/extractive.ts';
import { languageOf } from './local/nlp.ts';

export type KnowledgeResult =
  | { kind: 'answer'; answer: string; articles: ArticleRef[]; by: 'llm' | 'local' }
  | { kind: 'none'; reason: string };

export const answerSchema = z.object({
  fits: z.boolean().describe('true only if the articles answer the question'),
  answer: z
    .string()
    .max(2000)
    .describe('the answer, using only facts from the articles; empty when fits is false'),
  article_ids: z.array(z.string()).max(3).describe('ids of the articles the answer uses'),
});

const SYSTEM = `You are the IT helpdesk's knowledge agent. Answer the employee's question using ONLY the knowledge-base articles given.
Quote or paraphrase their steps; do not add facts, links or steps that are not in them.
If none of the articles answers the question, set fits to false and leave answer empty. Write the answer in the language of the question (its ISO code is given), even when the articles are in another language.`;

/**
 * The answer decision, calibrated with `bench/kb-answers.ts` on the tuning half of
 * `eval/kb-questions.jsonl` (the held-out half checks it): an article fits when its fit score reaches
 * ANSWER_THRESHOLD, and the local (extractive) answer also needs the best article to lead the
 * runner-up by ANSWER_LEAD, since it cannot tell two near-equal articles apart as a model can.
 */
export const ANSWER_THRESHOLD = 0.5;
export const ANSWER_LEAD = 0.05;

/** A hit, with how far its score leads the next one retrieved. */
export type Candidate = SearchHit & { lead?: number | undefined };

export function fits(hit: SearchHit): boolean {
  return hit.score >= ANSWER_THRESHOLD;
}

/**
 * The sentences of a message worth searching on their own (at most three, of two words or more):
 * "how do I set up VPN on my Mac? it shows 10.0.0.1 as its address" asks in its first sentence, and
 * the second's words would count against the article that answers it.
 */
export function sentencesOf(text: string): string[] {
  const sentences = text
    .split(/(?<=[.?!])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => (s.match(/[\p{L}\p{N}]+/gu)?.length ?? 0) >= 2);
  return sentences.length > 1 ? sentences.slice(0, 3) : [];
}

/**
 * Search as the knowledge agent runs it: the whole message (hybrid with vectors when an embeddings
 * model is configured: one embedding request) and each of its sentences (full-text); an article
 * keeps its best score.
 */
export async function retrieve(deps: LlmDeps, question: string, limit = 4): Promise<SearchHit[]> {
  const whole = deps.model?.embeddings
    ? await hybridSearch(deps.db, question, deps.model.embeddings, { limit })
    : await searchArticles(deps.db, question, { limit });
  const best = new Map<string, SearchHit>();
  const bySentence = [];
  for (const sentence of sentencesOf(question))
    bySentence.push(...(await searchArticles(deps.db, sentence, { limit })));
  for (const hit of [...whole, ...bySentence]) {
    const seen = best.get(hit.id);
    if (!seen || hit.score > seen.score) best.set(hit.id, hit);
  }
  return [...best.values()].sort((a, b) => b.score - a.score || b.rank - a.rank).slice(0, limit);
}

/** The articles that may answer the question (at most three), best first, each with its lead. */
export async function findCandidates(deps: LlmDeps, question: string): Promise<Candidate[]> {
  const hits = await retrieve(deps, question, 4);
  return hits
    .map((hit, i) => ({ ...hit, lead: hit.score - (hits[i + 1]?.score ?? 0) }))
    .filter(fits)
    .slice(0, 3);
}

/** The candidates as the model reads them. */
export function articlesContext(candidates: SearchHit[]): string {
  return candidates
    .map((h) => `<article id="${h.id}" title="${h.title}">\n${h.body.slice(0, 2500)}\n</article>`)
    .join('\n\n');
}

/** A model's answer over the candidates; citations must point at what was retrieved. */
export function answerFromModel(
  candidates: SearchHit[],
  value: z.infer<typeof answerSchema>,
): KnowledgeResult {
  if (!value.fits || !value.answer.trim()) {
    return { kind: 'none', reason: 'the articles found do not answer this request' };
  }
  const cited = candidates.filter((h) => value.article_ids.includes(h.id));
  return {
    kind: 'answer',
    answer: value.answer.trim(),
    articles: refs(cited.length ? cited : candidates.slice(0, 1)),
    by: 'llm',
  };
}

/**
 * Answers from the knowledge base: the model when `useModel` (the router's own call already
 * answered when it could, so it passes false), else an extract of the best article.
 */
export async function answerFromKnowledge(
  deps: LlmDeps,
  question: string,
  opts: { language?: string; candidates?: Candidate[]; useModel?: boolean } = {},
): Promise<KnowledgeResult> {
  const candidates = opts.candidates ?? (await findCandidates(deps, question));
  if (candidates.length === 0)
    return { kind: 'none', reason: 'no knowledge-base article matches this request' };

  if (deps.model && opts.useModel !== false) {
    const result = await callStructured(deps, {
      purpose: 'answer',
      schema: answerSchema,
      system: SYSTEM,
      user: `Articles:\n${articlesContext(candidates)}\n\nQuestion (${opts.language ?? 'en'}): ${question}`,
    });
    if (result.ok) return answerFromModel(candidates, result.value);
  }

  const best: Candidate = candidates[0]!;
  if ((best.lead ?? 1) < ANSWER_LEAD)
    return { kind: 'none', reason: 'two articles fit about equally well; a person should choose' };
  const extract = extractAnswer(question, best.body);
  if (!extract) return { kind: 'none', reason: 'the best article is empty' };
  // An extract cannot be translated: the framing is in the asker's language, and says when the
  // article is in another one.
  const m = messagesFor(opts.language);
  const asked = toLanguage(opts.language) ?? 'en';
  const written = toLanguage(languageOf(`${best.title}\n${best.body}`));
  const note = written && written !== asked ? `\n\n${m.articleIn(written)}` : '';
  return {
    kind: 'answer',
    answer: `${m.answerFrom(best.title)}\n\n${extract}${note}`,
    articles: refs([best]),
    by: 'local',
  };
}

function refs(hits: SearchHit[]): ArticleRef[] {
  return hits.map((h) => ({ id: h.id, title: h.title, url: h.url ?? undefined }));
}
