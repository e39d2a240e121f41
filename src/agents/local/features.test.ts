import { describe, expect, it } from 'vitest';
import {
  clip,
  DEFAULT_TRIAGE_OPTIONS,
  type FeatureOptions,
  featureVector,
  trainLocalTriage,
} from './local-triage.ts';
import { charNgrams, featuresOf } from './nlp.ts';
import { TRAINING_EXAMPLES } from './training-data.ts';

const TOPICAL: FeatureOptions = { source: 'topical', bigrams: false, chars: null, subjectWeight: 1 };

describe('character n-grams', () => {
  it('pads each word and keeps 3- to 5-grams, without the whole padded word', () => {
    const grams = charNgrams(['vpn']);
    expect(grams).toEqual(expect.arrayContaining(['#<vp', '#vpn', '#pn>', '#<vpn', '#vpn>']));
    expect(grams).not.toContain('#<vpn>');
  });

  it('lets a truncated or misspelt word share n-grams with the full one', () => {
    const full = new Set(charNgrams(['password']));
    const shared = charNgrams(['passwrd']).filter((g) => full.has(g));
    expect(shared.length).toBeGreaterThanOrEqual(5);
    expect(charNgrams(['pass'])).toEqual(expect.arrayContaining(['#<pas', '#<pass']));
  });

  it('skips placeholders, bigrams and short words; prefixOnly keeps word starts', () => {
    expect(charNgrams(['<num>', 'vpn_mac', 'pc'])).toEqual([]);
    expect(charNgrams(['printer'], 3, 5, true)).toEqual(['#<pr', '#<pri', '#<prin']);
  });
});

describe('text features', () => {
  it('tells the mail subject from the body', () => {
    const f = featuresOf('vpn mac :: hi cannot connect after update thanks');
    expect(f.subject).toEqual(['vpn', 'mac']);
    expect(f.body).toEqual(['not', 'connect', 'update']);
    expect(f.words).toEqual(['vpn', 'mac', 'not', 'connect', 'update']);
  });

  it("reads the guard's placeholders as data, not as the words email or phone", () => {
    const f = featuresOf('contact me at [email] or [phone]');
    expect(f.words).toEqual(['contact', '<email>', '<phone>']);
    expect(f.words).not.toContain('email');
  });

  it('weights subject words up and fades body words with their position', () => {
    const f = featuresOf('printer :: paper jam tray one toner low');
    const v = featureVector(f, { ...TOPICAL, subjectWeight: 2, decay: 2 });
    expect(v.get('printer')).toBe(2);
    expect(v.get('paper')).toBe(1);
    expect(v.get('jam')).toBeCloseTo(2 / 3);
    expect(v.get('low')).toBeLessThan(v.get('jam')!);
    const flat = featureVector(f, TOPICAL);
    expect(flat.get('printer')).toBe(1);
    expect(flat.get('low')).toBe(1);
  });

  it('keeps the subject share fixed however long the body is', () => {
    const share = (text: string) => {
      const v = featureVector(featuresOf(text), { ...TOPICAL, subjectShare: 0.5 });
      return v.get('printer')!;
    };
    const short = share('printer :: paper jam');
    const long = share(`printer :: paper jam ${'meeting agenda budget invoice '.repeat(20)}`);
    expect(long).toBeCloseTo(short, 6);
  });

  it('adds character n-grams at their weight', () => {
    const v = featureVector(featuresOf('outlook crash'), {
      ...TOPICAL,
      chars: { min: 3, max: 5, weight: 0.5 },
    });
    expect(v.get('outlook')).toBe(1);
    expect(v.get('#<out')).toBe(0.5);
  });
});

describe('clip', () => {
  it('keeps the subject and cuts a long body at a word boundary', () => {
    const body = 'word '.repeat(100);
    const clipped = clip(`subject line :: ${body}`, 50);
    expect(clipped.startsWith('subject line :: word')).toBe(true);
    expect(clipped.length).toBeLessThanOrEqual('subject line :: '.length + 50);
    expect(clipped.endsWith('word')).toBe(true);
    expect(clip('short text', 50)).toBe('short text');
    expect(clip(`x :: ${body}`, 0)).toBe(`x :: ${body}`);
  });
});

describe('abstain rule', () => {
  it('files a text under other when the winning category is weaker than the threshold', {
    timeout: 60_000,
  }, () => {
    const text = 'laptop keeps asking for my password';
    const normal = trainLocalTriage(TRAINING_EXAMPLES);
    expect(normal.triage(text).category).not.toBe('other');
    const cautious = trainLocalTriage(TRAINING_EXAMPLES, {
      ...DEFAULT_TRIAGE_OPTIONS,
      category: { ...DEFAULT_TRIAGE_OPTIONS.category, abstain: 0.99 },
    });
    expect(cautious.triage(text).category).toBe('other');
  });
});

describe('default model on long mail', () => {
  const model = trainLocalTriage();

  it('keeps the category of a mail when a signature and disclaimer follow it', () => {
    const furniture =
      ' kind regards maria senior accountant [phone] [email] this email and any attachments are confidential' +
      ' please consider the environment before printing this email sent from my iphone';
    expect(model.triage('vpn :: cannot connect to the vpn from home since this morning').category).toBe(
      'network',
    );
    expect(
      model.triage(`vpn :: cannot connect to the vpn from home since this morning${furniture}`).category,
    ).toBe('network');
  });
});
