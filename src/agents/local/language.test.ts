import { describe, expect, it } from 'vitest';
import { hanBigrams, splitCompound, toEnglishWords } from './language.ts';
import { featuresOf, languageOf } from './nlp.ts';

describe('German', () => {
  it('maps German IT words to the English features, with or without umlauts', () => {
    expect(featuresOf('Drucker druckt nicht, Papierstau').words).toEqual(
      expect.arrayContaining(['printer', 'print', 'not', 'paper', 'jam']),
    );
    const withUmlaut = featuresOf('Passwort zurücksetzen bitte').words;
    expect(withUmlaut).toEqual(expect.arrayContaining(['password', 'reset']));
    expect(featuresOf('Passwort zuruecksetzen bitte').words).toEqual(withUmlaut);
  });

  it('splits compounds made of known parts', () => {
    expect(splitCompound('Druckerwarteschlange')).toEqual(['printer', 'queue']);
    expect(splitCompound('Netzlaufwerk')).toEqual(['network drive']);
    expect(splitCompound('Passwortänderung')).toEqual(['password']);
    expect(splitCompound('Kaffeemaschine')).toBeUndefined();
  });

  it('drops German stop words only in German text', () => {
    expect(toEnglishWords('die Maus ist kaputt', 'de').trim().split(/\s+/)).toEqual(['mouse', 'broken']);
    expect(toEnglishWords('my laptop will die', 'en')).toBe('my laptop will die');
  });

  it('tells terse German from English', () => {
    expect(languageOf('Drucker druckt nicht')).toBe('de');
    expect(languageOf('Netzlaufwerk nicht erreichbar')).toBe('de');
    expect(languageOf('printer not printing on the 2nd floor')).toBe('en');
    expect(languageOf('my handy is not charging')).toBe('en');
  });
});

describe('Chinese', () => {
  it('reads Chinese as zh, with character bigrams and known IT words, without crashing', () => {
    expect(languageOf('打印机无法打印，请帮忙')).toBe('zh');
    expect(hanBigrams('打印机')).toEqual(['zh:打印', 'zh:印机']);
    const f = featuresOf('打印机无法打印');
    expect(f.words).toEqual(expect.arrayContaining(['printer', 'zh:打印', 'zh:无法']));
    expect(featuresOf('邮件 :: outlook 无法打开').subject).toEqual(['email', 'zh:邮件']);
  });

  it('keeps English for a mostly English text with a Chinese word', () => {
    expect(languageOf('outlook crashes when opening the shared calendar 日历')).toBe('en');
  });
});
