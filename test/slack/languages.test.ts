/**
 * Replies in the asker's language on Slack (issue 17, item 6), through the real Bolt app and Web API
 * client against the fake Slack: the language of the message, the Slack user locale, the team's
 * language for cards (`config language`), and English for a language without texts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageEvent, nextTs, slashCommand } from './builders.ts';
import { people, type SlackAppHarness, startSlackApp } from './support.ts';

const TRIAGE = 'C0TRIAGE';
/** In the directory with a German Slack locale (users.info with include_locale). */
const JONAS = {
  id: 'U0JONAS',
  name: 'jonas',
  displayName: 'Jonas',
  email: 'jonas@acme.test',
  locale: 'de-DE',
};
const MAX = { id: 'U0MAX', name: 'max', displayName: 'Max', email: 'max@acme.test', locale: 'en-US' };

let h: SlackAppHarness;

async function command(user: string, channel: string, text: string): Promise<string> {
  const before = h.slack.callsTo('response_url').length;
  const request = slashCommand({ user, channel, text, responseUrl: h.slack.responseUrl(`cmd-${nextTs()}`) });
  expect((await h.post({ form: request.form })).status).toBe(200);
  await h.idle();
  return String(h.slack.callsTo('response_url').slice(before).at(-1)?.args.text ?? '');
}

async function dm(user: string, channel: string, text: string): Promise<string[]> {
  const before = h.slack.callsTo('chat.postMessage').length;
  expect((await h.post({ json: messageEvent({ user, channel, text }) })).status).toBe(200);
  await h.idle();
  return h.slack
    .callsTo('chat.postMessage')
    .slice(before)
    .filter((call) => call.args.channel === channel)
    .map((call) => String(call.args.text));
}

const latestTicket = () =>
  h.app.database.db
    .selectFrom('tickets')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();

beforeAll(async () => {
  h = await startSlackApp();
  h.slack.addUser(JONAS);
  h.slack.addUser(MAX);
  await command(people.dana.id, TRIAGE, 'config triage-channel here');
});
afterAll(async () => {
  await h?.close();
});

describe('replies in the asker’s language on Slack', () => {
  it('acknowledges a German request in German, and says later status changes in German too', async () => {
    const said = await dm(
      people.alice.id,
      'D0ALICE',
      'Mein Drucker im zweiten Stock druckt nicht mehr, ständig Papierstau',
    );
    const ticket = await latestTicket();
    expect(ticket.language).toBe('de');
    expect(said).toEqual([
      expect.stringMatching(new RegExp(`^Danke, ich habe Ticket #${ticket.number} angelegt: „`)),
    ]);
    expect(said[0]).toContain('Das IT-Team antwortet hier.');
    // An English-speaking agent claims it; the requester hears of it in German.
    const before = h.slack.callsTo('chat.postMessage').length;
    expect(await command(people.dana.id, TRIAGE, `claim #${ticket.number}`)).not.toBe('');
    const notices = h.slack
      .callsTo('chat.postMessage')
      .slice(before)
      .filter((call) => call.args.channel === 'D0ALICE')
      .map((call) => call.args.text);
    expect(notices).toEqual([`Dana (IT) aus der IT kümmert sich um Ihr Ticket #${ticket.number}.`]);
  });

  it('asks for the Slack user locale and answers a message too short to tell in that language', async () => {
    const said = await dm(JONAS.id, 'D0JONAS', 'Outlook crash');
    const asked = h.slack.callsTo('users.info').filter((call) => call.args.user === JONAS.id);
    expect(asked.length).toBeGreaterThan(0);
    expect(String(asked[0]!.args.include_locale)).toBe('true');
    const ticket = await latestTicket();
    expect(said).toEqual([
      `Danke, ich habe Ticket #${ticket.number} angelegt: „Outlook crash“ (P3, email). Das IT-Team antwortet hier.`,
    ]);
    const stored = await h.app.database.db
      .selectFrom('people')
      .select('language')
      .where('email', '=', JONAS.email)
      .executeTakeFirstOrThrow();
    expect(stored.language).toBe('de');
  });

  it('answers a request in a language without texts (Italian) in English', async () => {
    const said = await dm(
      people.bob.id,
      'D0BOB',
      'la stampante del secondo piano non funziona più e non stampa niente da ieri, per favore',
    );
    const ticket = await latestTicket();
    expect(ticket.language).toBe('it');
    expect(said).toEqual([
      expect.stringMatching(new RegExp(`^Thanks, I've filed ticket #${ticket.number}: "`)),
    ]);
  });

  it('refuses a language it has no texts for, listing the supported ones', async () => {
    expect(await command(people.dana.id, TRIAGE, 'config language it')).toBe(
      'I have no texts in "it". Supported languages: en, de, fr, es, pt.',
    );
  });

  it('draws the triage card in German after `config language de`, and keeps the requester’s English', async () => {
    expect(await command(people.dana.id, TRIAGE, 'config language de')).toBe(
      'Karten und Texte im Triage-Kanal sind jetzt auf Deutsch.',
    );
    const before = h.slack.callsTo('chat.postMessage').length;
    const said = await dm(MAX.id, 'D0MAX', 'my laptop screen is cracked and flickers all the time');
    expect(said[0]).toMatch(/^Thanks, I've filed ticket #\d+/);
    const card = h.slack
      .callsTo('chat.postMessage')
      .slice(before)
      .find((call) => call.args.channel === TRIAGE && !call.args.thread_ts);
    const blocks = JSON.stringify(card?.args.blocks);
    for (const german of [
      'Übernehmen',
      'Zuweisen an…',
      'Interne Notiz',
      'Lösen',
      'Schließen',
      'Priorität',
      '🆕 Neu',
    ])
      expect(blocks).toContain(german);
    expect(blocks).not.toContain('Claim');
    expect(await command(people.dana.id, TRIAGE, 'config language')).toBe(
      'Cards and triage-channel texts are in German (de). Supported: en, de, fr, es, pt.',
    );
  });
});
