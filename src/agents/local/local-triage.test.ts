import { describe, expect, it } from 'vitest';
import { isChatter, LOW_CONFIDENCE, trainLocalTriage } from './local-triage.ts';
import { languageOf, sentimentOf } from './nlp.ts';
import { parseTrainingLines, TRAINING_EXAMPLES } from './training-data.ts';

const model = trainLocalTriage();

describe('local triage', () => {
  it('ships several hundred training examples covering every category', () => {
    expect(TRAINING_EXAMPLES.length).toBeGreaterThan(400);
    const categories = new Set(TRAINING_EXAMPLES.map((e) => e.category));
    expect(categories.size).toBe(8);
  });

  it.each([
    ['my laptop screen is cracked', 'hardware'],
    ['how do I set up VPN on my Mac?', 'network'],
    ['forgot my password and I am locked out', 'access'],
    ['outlook not receiving emails', 'email'],
    ['print queue stuck on floor 2', 'printing'],
    ['I clicked a link in a phishing email', 'security'],
    ['cannot submit my timesheet', 'other'],
    ['please install visio on my laptop', 'software'],
  ])('files "%s" under %s', (text, category) => {
    expect(model.triage(text).category).toBe(category);
  });

  it('reads a how-to as a self-service question at low priority', () => {
    const t = model.triage('how do I set up VPN on my Mac?');
    expect(t.intent).toBe('question');
    expect(t.self_service).toBe(true);
    expect(t.priority).toBe('P4');
  });

  it('raises priority for outages and for a person fully blocked', () => {
    expect(model.triage('email is down for the whole office').priority).toBe('P1');
    expect(model.triage('laptop will not boot and I cannot work at all').priority).toBe('P2');
    expect(model.triage('excel crashes when I open the budget file').priority).toBe('P3');
  });

  it('marks a broken device as an incident needing IT hands', () => {
    const t = model.triage('my laptop screen is cracked');
    expect(t.intent).toBe('incident');
    expect(t.self_service).toBe(false);
    expect(t.title).toBe('My laptop screen is cracked');
  });

  it('calls a request with nothing to go on vague', () => {
    expect(model.triage('help').vague).toBe(true);
    expect(model.triage('it is not working').vague).toBe(true);
    expect(model.triage('my laptop screen is cracked').vague).toBe(false);
  });

  it('takes the subject of a mail-style "title :: body" text as the title', () => {
    expect(model.triage('vpn mac :: hi cannot connect after update thanks').title).toBe('Vpn mac');
  });
});

describe('chatter', () => {
  it.each(['hi', 'hello!', 'thanks!', 'thank you so much', 'ok', 'ok thanks', 'cheers 👍', 'good morning'])(
    'recognises "%s"',
    (text) => expect(isChatter(text)).toBe(true),
  );
  it.each(['hi my vpn is broken', 'thanks but the printer still jams', 'ok so how do I reset my password'])(
    'does not swallow a request: "%s"',
    (text) => expect(isChatter(text)).toBe(false),
  );
});

describe('language and sentiment', () => {
  it('guesses the language from stop words and defaults to English', () => {
    expect(languageOf('mein Drucker funktioniert nicht, bitte helfen')).toBe('de');
    expect(languageOf('bonjour, mon imprimante ne fonctionne pas')).toBe('fr');
    expect(languageOf('printer jam on floor 3')).toBe('en');
    expect(languageOf('card leaver la va ca defect si')).toBe('ro');
  });

  it('hears frustration', () => {
    expect(sentimentOf('this is the third time the vpn broke, really annoying!!')).toBe('negative');
    expect(sentimentOf('printer jam on floor 3')).toBe('neutral');
    expect(sentimentOf('thanks, that was great and very helpful')).toBe('positive');
  });
});

describe('training lines', () => {
  const line = (o: object) =>
    JSON.stringify({ category: 'email', priority: 'P4', intent: 'question', self_service: true, ...o });

  it('reads one labelled example a line, skipping blank lines', () => {
    const jsonl = `${line({ text: 'how do i add a shared mailbox' })}\n\n${line({ text: 'vpn?' })}\n`;
    const examples = parseTrainingLines(jsonl, 'x.jsonl');
    expect(examples).toHaveLength(2);
    expect(examples[0]).toEqual({
      text: 'how do i add a shared mailbox',
      category: 'email',
      priority: 'P4',
      intent: 'question',
      self_service: true,
    });
  });

  it('rejects a malformed line instead of training on it, naming the file and line', () => {
    const good = line({ text: 'ok' });
    expect(() => parseTrainingLines(`${good}\n${line({ priority: 'P9', text: 'x' })}`, 'x.jsonl')).toThrow(
      /bad training line x\.jsonl:2: priority/,
    );
    expect(() => parseTrainingLines(`${good}\n\n{"category":`, 'x.jsonl')).toThrow(/x\.jsonl:3/);
    expect(() => parseTrainingLines(line({ text: ' padded' }), 'x.jsonl')).toThrow(/text: has leading/);
    expect(() => parseTrainingLines(line({ text: 'x', source: 'mail' }), 'x.jsonl')).toThrow(/x\.jsonl:1/);
  });
});

describe('tickets as real exports send them', () => {
  // None of these texts is a training example; they check that German, Chinese, alerts and mail
  // furniture reach the same features as plain English.
  it.each([
    ['Bildschirm bleibt schwarz nach dem Andocken', 'hardware', 'de'],
    ['Druckerwarteschlange blockiert, nichts wird gedruckt', 'printing', 'de'],
    ['Kennwort für das Buchhaltungssystem zurücksetzen', 'access', 'de'],
    ['job PAYROLL_EXPORT_WEEKLY failed in job_scheduler at: 2016-12-01 03:00:12', 'other', 'en'],
    ['打印机显示卡纸', 'printing', 'zh'],
  ])('files "%s" under %s (language %s)', (text, category, language) => {
    const t = model.triage(text);
    expect(t.category).toBe(category);
    expect(t.language).toBe(language);
  });

  it('reads past the received-from line, greeting and disclaimer of a mail export', () => {
    const mail =
      'received from: [email]\nhello team,\nthe vpn client drops every few minutes when working from home.\nkind regards\nanna\nThis e-mail and any attachments are confidential. If you have received this message in error, please notify the sender.';
    const t = model.triage(mail);
    expect(t.category).toBe('network');
    expect(t.title.toLowerCase()).toContain('vpn');
  });

  it('does not crash on Chinese, Japanese or Korean text and names the language', () => {
    for (const [text, language] of [
      ['电脑很慢，请帮忙看看', 'zh'],
      ['パスワードを忘れました', 'ja'],
      ['비밀번호를 잊어버렸어요', 'ko'],
    ] as const) {
      const t = model.triage(text);
      expect(t.language).toBe(language);
      expect(t.confidence).toBeGreaterThanOrEqual(0);
      expect(t.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('calibrates its confidence on held-out folds: sure of a plain request, unsure of a word salad', () => {
    expect(model.temperature).not.toBe(1);
    expect(model.triage('my laptop screen is cracked').confidence).toBeGreaterThanOrEqual(LOW_CONFIDENCE);
    expect(model.triage('blorp quandle zingo').confidence).toBeLessThan(LOW_CONFIDENCE);
  });
});
