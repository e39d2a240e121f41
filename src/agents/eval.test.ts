import { describe, expect, it } from 'vitest';
import type { Triage } from '../core/routing/router.ts';
import { evaluate, formatReport, parseLabelledCsv, score, toJsonLine } from './eval.ts';
import { trainingOverlap } from './local/training-overlap.ts';

const triage = (category: Triage['category'], selfService = false): Triage => ({
  category,
  priority: 'P4',
  intent: 'request',
  self_service: selfService,
  language: 'en',
  sentiment: 'neutral',
  title: 't',
  confidence: 1,
});

describe('eval scoring', () => {
  it('computes accuracy and macro-F1 over the reference labels', () => {
    // access: tp 1, fn 1 -> F1 2/3; network: tp 1, fp 1 -> F1 2/3
    const s = score([
      ['access', 'access'],
      ['access', 'network'],
      ['network', 'network'],
    ]);
    expect(s.accuracy).toBeCloseTo(2 / 3, 3);
    expect(s.macro_f1).toBeCloseTo(2 / 3, 3);
  });

  it('reads only the labelled columns it knows and normalises yes/no', () => {
    const rows = parseLabelledCsv(
      'id,text,category,self_service,extra\n1,"vpn, down",network,yes,x\n2,printer,,no,y\n',
    );
    expect(rows).toEqual([
      { id: '1', text: 'vpn, down', labels: { category: 'network', self_service: 'yes' } },
      { id: '2', text: 'printer', labels: { self_service: 'no' } },
    ]);
  });

  it('refuses a file without the id and text columns, or without rows, naming what it found', () => {
    expect(() => parseLabelledCsv('question,answer\nvpn?,yes\n')).toThrow(
      'expected a header with the columns id,text (and any of category,priority,intent,self_service,language); missing id,text, found question,answer',
    );
    expect(() => parseLabelledCsv('text\nvpn down\n')).toThrow(/missing id, found text$/);
    expect(() => parseLabelledCsv('')).toThrow(/missing id,text, the file is empty$/);
    expect(() => parseLabelledCsv('id,text\n1,\n')).toThrow('no rows with text to evaluate');
  });

  it('scores only fields that are labelled and ends --json output with one object', async () => {
    const rows = parseLabelledCsv('id,text,category,self_service\n1,a,access,yes\n2,b,network,no\n');
    const report = await evaluate(rows, async (text) =>
      text === 'a' ? triage('access', true) : triage('access'),
    );
    expect(report.fields.category).toMatchObject({ accuracy: 0.5 });
    expect(report.fields.self_service).toMatchObject({ accuracy: 1 });
    expect(report.fields.priority).toBeUndefined();
    expect(report.confusion?.labels).toEqual(['access', 'network']);
    const json = JSON.parse(toJsonLine(report));
    expect(json).toMatchObject({
      n: 2,
      category: { accuracy: 0.5 },
      self_service: { accuracy: 1, macro_f1: 1 },
    });
  });

  it('reports rows that nearly repeat a training example, in the text and the JSON line', async () => {
    const rows = parseLabelledCsv(
      'id,text,category\n1,printer third floor paper jam again,printing\n2,b,other\n',
    );
    const report = await evaluate(rows, async () => triage('printing'));
    report.training_overlap = trainingOverlap(
      ['paper jam in the printer on the third floor'],
      rows.map((r) => r.text),
    );
    expect(JSON.parse(toJsonLine(report)).training_overlap).toBe(1);
    expect(formatReport(report)).toContain('training overlap: 1 of 2 rows');
  });

  it('says where each score came from and counts the rows the local model answered for a failing model', async () => {
    const rows = parseLabelledCsv('id,text,category\n1,a,access\n2,b,network\n3,c,access\n');
    const report = await evaluate(
      rows,
      async (text) => ({ ...triage('access'), source: text === 'a' ? ('llm' as const) : ('local' as const) }),
      { online: true },
    );
    expect(report.sources).toEqual({ llm: 1, local: 2 });
    expect(report.fallbacks).toBe(2);
    expect(JSON.parse(toJsonLine(report))).toMatchObject({ source: { llm: 1, local: 2 }, fallbacks: 2 });
    expect(formatReport(report)).toContain(
      'scores from: the language model on 1 of 3 rows, the local model on 2',
    );
    const offline = await evaluate(rows, async () => triage('access'));
    expect(offline.fallbacks).toBe(0);
    expect(formatReport(offline)).toContain('the local model on all 3 rows (no language model configured)');
  });
});
