/**
 * Scores knowledge answers on a question file (`helpdesk eval --kb`): one JSON object a line,
 * `{"question", "article_id"}` where `article_id` is the article that answers it, or null when no
 * article does (then the honest outcome is no answer). An optional `split` field (e.g. tune / heldout)
 * lets a run score one part. Right means the answer cites the expected article; any answer to a
 * question no article answers is wrong; "I couldn't find an article" is an abstention.
 */

export interface KbQuestion {
  question: string;
  /** The article that answers it, or null when none does. */
  article_id: string | null;
  split?: string | undefined;
  /** 1-based line in the file, for messages. */
  line: number;
}

/** What the product did with one question: the articles its answer cites (null: no answer), and search's order. */
export interface KbOutcome {
  question: KbQuestion;
  answered: string[] | null;
  /** The article ids search ranked first, best first (at most four). */
  ranked: string[];
}

/** The public contract of the last line, keys exactly in this order. */
export interface KbScores {
  n: number;
  answered: number;
  correct: number;
  wrong: number;
  abstained: number;
  correct_rate: number;
  wrong_rate: number;
}

export interface KbReport extends KbScores {
  /** Questions that an article answers, and how often search put that article first / in its top four. */
  answerable: number;
  ranked_first: number;
  in_top4: number;
  /** Of the questions no article answers: how many were (wrongly) answered. */
  unanswerable: number;
  answered_unanswerable: number;
}

/** Parses the question file; a line that is not a question object is refused, naming the line. */
export function parseKbQuestions(content: string): KbQuestion[] {
  const questions: KbQuestion[] = [];
  content.split(/\r?\n/).forEach((text, index) => {
    if (!text.trim()) return;
    const line = index + 1;
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch {
      throw new Error(`line ${line}: not valid JSON`);
    }
    const r = row as Record<string, unknown>;
    if (!row || typeof row !== 'object' || Array.isArray(row))
      throw new Error(`line ${line}: expected an object {"question", "article_id"}`);
    if (typeof r.question !== 'string' || !r.question.trim())
      throw new Error(`line ${line}: "question" must be a non-empty string`);
    if (!('article_id' in r) || (r.article_id !== null && typeof r.article_id !== 'string'))
      throw new Error(`line ${line}: "article_id" must be an article id or null (no article answers it)`);
    questions.push({
      question: r.question.trim(),
      article_id: (r.article_id as string | null) || null,
      split: typeof r.split === 'string' ? r.split : undefined,
      line,
    });
  });
  if (questions.length === 0) throw new Error('no questions in the file');
  return questions;
}

const rate = (count: number, n: number) => (n === 0 ? 0 : Math.round((count / n) * 1000) / 1000);

export function isCorrect(outcome: KbOutcome): boolean {
  const expected = outcome.question.article_id;
  return outcome.answered !== null && expected !== null && outcome.answered.includes(expected);
}

export function scoreKb(outcomes: KbOutcome[]): KbReport {
  const n = outcomes.length;
  const answered = outcomes.filter((o) => o.answered !== null).length;
  const correct = outcomes.filter(isCorrect).length;
  const answerable = outcomes.filter((o) => o.question.article_id !== null);
  const unanswerable = outcomes.filter((o) => o.question.article_id === null);
  return {
    n,
    answered,
    correct,
    wrong: answered - correct,
    abstained: n - answered,
    correct_rate: rate(correct, n),
    wrong_rate: rate(answered - correct, n),
    answerable: answerable.length,
    ranked_first: answerable.filter((o) => o.ranked[0] === o.question.article_id).length,
    in_top4: answerable.filter((o) => o.ranked.slice(0, 4).includes(o.question.article_id!)).length,
    unanswerable: unanswerable.length,
    answered_unanswerable: unanswerable.filter((o) => o.answered !== null).length,
  };
}

/** The last line: exactly the contract's keys, in order. */
export function kbJsonLine(report: KbScores): string {
  const { n, answered, correct, wrong, abstained, correct_rate, wrong_rate } = report;
  return JSON.stringify({ n, answered, correct, wrong, abstained, correct_rate, wrong_rate });
}

/** The readable report: totals, retrieval, and one block per split when the file has splits. */
export function formatKbReport(outcomes: KbOutcome[]): string {
  const block = (name: string, part: KbOutcome[]) => {
    const r = scoreKb(part);
    return [
      `${name}: ${r.n} questions (${r.answerable} with an article, ${r.unanswerable} without)`,
      `  answered ${r.answered}: correct ${r.correct}, wrong ${r.wrong} (${r.answered_unanswerable} of them to a question no article answers); abstained ${r.abstained}`,
      `  correct rate ${r.correct_rate}, wrong rate ${r.wrong_rate}`,
      `  search ranks the right article first for ${r.ranked_first}/${r.answerable}, in the top 4 for ${r.in_top4}/${r.answerable}`,
    ].join('\n');
  };
  const splits = [...new Set(outcomes.map((o) => o.question.split).filter((s): s is string => !!s))];
  const lines = [block('all', outcomes)];
  if (splits.length > 1)
    for (const split of splits)
      lines.push(
        block(
          `split ${split}`,
          outcomes.filter((o) => o.question.split === split),
        ),
      );
  return lines.join('\n');
}

/** One line per question, for reading what went wrong: ok / WRONG / missed / abstained. */
export function formatKbOutcome(o: KbOutcome): string {
  const expected = o.question.article_id ?? '(none)';
  const verdict = isCorrect(o)
    ? 'ok       '
    : o.answered
      ? 'WRONG    '
      : o.question.article_id
        ? 'missed   '
        : 'abstained';
  const got = o.answered ? o.answered.join(',') : '-';
  const rank = o.question.article_id ? o.ranked.indexOf(o.question.article_id) : -1;
  return `${verdict} line ${o.question.line}: ${o.question.question}\n    expected ${expected}; answered ${got}; search rank ${rank < 0 ? '-' : rank + 1}; top ${o.ranked[0] ?? '-'}`;
}
