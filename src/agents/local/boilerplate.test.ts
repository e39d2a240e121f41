import { describe, expect, it } from 'vitest';
import { stripBoilerplate } from './boilerplate.ts';

describe('boilerplate stripping', () => {
  it('drops the "received from:" line, the greeting and the signature under the sign-off', () => {
    const text =
      'received from: [email]\n\nhello team,\n\nmy outlook keeps crashing since the update.\n\nbest regards\nmax mustermann\nsenior engineer\n[phone]';
    expect(stripBoilerplate(text)).toBe('my outlook keeps crashing since the update.');
  });

  it('keeps the subject and strips the body of a "subject :: body" ticket apart', () => {
    expect(
      stripBoilerplate(
        'vpn issue :: received from: [email] hi, vpn not connecting from home. thanks and regards, anna',
      ),
    ).toBe('vpn issue :: vpn not connecting from home.');
  });

  it('cuts a legal disclaimer and a mobile footer to the end of the text', () => {
    const text =
      'printer on 3rd floor jams on every page. This email and any attachments are confidential and intended solely for the addressee. Sent from my iPhone';
    expect(stripBoilerplate(text)).toBe('printer on 3rd floor jams on every page.');
  });

  it('removes forwarded headers, external-sender banners and German greetings and sign-offs', () => {
    const text =
      'CAUTION: This email originated from outside the organisation.\nVon: [email]\nGesendet: Montag\nBetreff: Drucker\nHallo zusammen,\nder Drucker druckt nicht.\nMit freundlichen Grüßen\nErika Muster';
    expect(stripBoilerplate(text)).toBe('Drucker\nder Drucker druckt nicht.');
  });

  it('reduces a job-scheduler alert to a marked alert naming the job, without its timestamp', () => {
    expect(stripBoilerplate('job SAP_BW_LOAD failed in job_scheduler at: 2016-10-03 04:30:00')).toBe(
      'monitoring alert job SAP BW LOAD failed job scheduler',
    );
    expect(stripBoilerplate('CRITICAL - cpu load above threshold on host db01')).toMatch(
      /^monitoring alert /,
    );
  });

  it('keeps what follows a "thanks" when more than a signature follows it', () => {
    const text =
      'vpn works again, thanks. but now outlook asks for my password every few minutes and the shared calendar of the sales team does not load at all';
    expect(stripBoilerplate(text)).toBe(text);
  });

  it('returns the text itself when nothing but furniture is left', () => {
    expect(stripBoilerplate('hi')).toBe('hi');
    expect(stripBoilerplate('')).toBe('');
  });
});
