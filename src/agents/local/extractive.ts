/** The offline answer: the passages of the best article that match the question, quoted, never invented. */

const MAX_CHARS = 900;

function wordsOf(text: string): Set<string> {
  return new Set(
    (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => w.length > 2).map((w) => w.slice(0, 5)),
  );
}

/**
 * Picks the article's opening paragraph and the blocks (steps, lists) that share the most words with
 * the question, in the article's own order, up to a readable length.
 */
export function extractAnswer(question: string, body: string): string {
  const blocks = body
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
  if (blocks.length === 0) return '';
  const asked = wordsOf(question);
  const scored = blocks.map((block, index) => {
    const words = wordsOf(block);
    let overlap = 0;
    for (const w of asked) if (words.has(w)) overlap += 1;
    const steps = /^\s*(?:\d+\.|[-*•])\s/m.test(block) ? 1.5 : 0;
    return { block, index, score: overlap + steps + (index === 0 ? 1 : 0) };
  });
  const chosen = [...scored].sort((a, b) => b.score - a.score || a.index - b.index);
  const picked: typeof scored = [];
  let length = 0;
  for (const candidate of chosen) {
    if (picked.length > 0 && (candidate.score <= 0 || length + candidate.block.length > MAX_CHARS)) continue;
    picked.push(candidate);
    length += candidate.block.length;
    if (length >= MAX_CHARS * 0.8 || picked.length >= 3) break;
  }
  const text = picked
    .sort((a, b) => a.index - b.index)
    .map((p) => p.block)
    .join('\n\n');
  return text.length > MAX_CHARS + 300 ? `${text.slice(0, MAX_CHARS).trimEnd()}…` : text;
}
