import { describe, expect, it } from 'vitest';
import { formatKbReport, type KbOutcome, kbJsonLine, parseKbQuestions, scoreKb } from './eval-kb.ts';

const file = [
  '{"question":"how do I reset my password?","article_id":"pw","split":"tune"}',
  '',
  '{"question":"vpn on a mac","article_id":"vpn","split":"heldout"}',
  '{"question":"the coffee machine is broken","article_id":null,"split":"tune"}',
  '{"question":"printer jams","article_id":null,"split":"heldout"}',
].join('\n');

describe('eval --kb questions', () => {
  it('reads questions with their expected article (or null) and split, naming the line of a bad one', () => {
    const questions = parseKbQuestions(file);
    expect(questions.map((q) => [q.line, q.article_id, q.split])).toEqual([
      [1, 'pw', 'tune'],
      [3, 'vpn', 'heldout'],
      [4, null, 'tune'],
      [5, null, 'heldout'],
    ]);
    expect(() => parseKbQuestions('{"question":"x","article_id":"a"}\nnot json')).toThrow(
      'line 2: not valid JSON',
    );
    expect(() => parseKbQuestions('{"question":"x"}')).toThrow(
      /line 1: "article_id" must be an article id or null/,
    );
    expect(() => parseKbQuestions('{"question":"","article_id":null}')).toThrow(/line 1: "question"/);
    expect(() => parseKbQuestions('\n\n')).toThrow('no questions in the file');
  });

  it('counts a cited expected article as correct, any other answer as wrong, no answer as abstained', () => {
    const [pw, vpn, coffee, printer] = parseKbQuestions(file);
    const outcomes: KbOutcome[] = [
      { question: pw!, answered: ['pw'], ranked: ['pw', 'mfa'] },
      { question: vpn!, answered: ['wifi'], ranked: ['wifi', 'vpn'] },
      { question: coffee!, answered: null, ranked: [] },
      { question: printer!, answered: ['toner'], ranked: ['toner'] },
    ];
    const report = scoreKb(outcomes);
    expect(report).toMatchObject({
      n: 4,
      answered: 3,
      correct: 1,
      wrong: 2,
      abstained: 1,
      correct_rate: 0.25,
      wrong_rate: 0.5,
      answerable: 2,
      ranked_first: 1,
      in_top4: 2,
      answered_unanswerable: 1,
    });
    // The public contract: exactly these keys, in this order.
    expect(Object.keys(JSON.parse(kbJsonLine(report)))).toEqual([
      'n',
      'answered',
      'correct',
      'wrong',
      'abstained',
      'correct_rate',
      'wrong_rate',
    ]);
    const text = formatKbReport(outcomes);
    expect(text).toContain('search ranks the right article first for 1/2, in the top 4 for 2/2');
    expect(text).toContain('split tune: 2 questions');
    expect(text).toContain('split heldout: 2 questions');
  });
});
