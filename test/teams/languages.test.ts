/**
 * Replies in the asker's language on Teams (issue 17, item 6), through the real Bot Framework adapter
 * and connector client against the fake connector: the message's language over the client locale,
 * the activity `locale` for a message too short to tell, and the team's language for cards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALEX, fixture, startTeamsTestApp, type TeamsTestApp, TRIAGE } from './harness.ts';

const LENA_CHAT = 'a:1lena-personal-chat-with-helpdesk';
const LENA = {
  id: '29:1lena-example-teams-user-id',
  name: 'Lena Vogt',
  aadObjectId: '0b0e6a4e-7777-4a4a-9c9c-0d0a0a0a0007',
};
const KAI_CHAT = 'a:1kai-personal-chat-with-helpdesk';
const KAI = {
  id: '29:1kai-example-teams-user-id',
  name: 'Kai Brandt',
  aadObjectId: '0b0e6a4e-8888-4a4a-9c9c-0d0a0a0a0008',
};

let teams: TeamsTestApp;
let seq = 0;

async function send(activity: object) {
  const response = await teams.send(activity);
  expect(response.status).toBe(200);
  await teams.app.idle();
  return response;
}

/** A 1:1 message shaped like the recorded personal message, from `who` with the client's `locale`. */
function personal(who: typeof LENA, chat: string, text: string, locale: string) {
  const activity = fixture('personal-message', teams.connector);
  activity.id = `lang-${++seq}-${Date.now()}`;
  activity.from = who;
  activity.conversation.id = chat;
  activity.text = text;
  activity.attachments = [{ contentType: 'text/html', content: `<p>${text}</p>` }];
  activity.entities[0].locale = locale;
  activity.locale = locale;
  return activity;
}

async function command(text: string) {
  const activity = fixture('channel-mention-reply', teams.connector);
  activity.id = `alex-${++seq}-${Date.now()}`;
  activity.from = ALEX;
  activity.text = `<at>Helpdesk</at> helpdesk ${text}`;
  activity.conversation.id = TRIAGE;
  activity.channelData.channel.id = TRIAGE;
  await send(activity);
}

const textsTo = (conversationId: string, from = 0) =>
  teams.connector
    .posted()
    .slice(from)
    .filter((call) => call.conversationId === conversationId)
    .map((call) => String(call.body?.text ?? ''));
const latestTicket = () =>
  teams.app.database.db
    .selectFrom('tickets')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();

beforeAll(async () => {
  teams = await startTeamsTestApp({ env: { HELPDESK_ADMINS: 'alex@example.com' } });
  const withEmail = (member: typeof ALEX, email: string) => ({ ...member, email, userPrincipalName: email });
  teams.connector.addMember(TRIAGE, withEmail(ALEX, 'alex@example.com'));
  teams.connector.addMember(LENA_CHAT, withEmail(LENA, 'lena@example.com'));
  teams.connector.addMember(KAI_CHAT, withEmail(KAI, 'kai@example.com'));
  await command('config triage-channel here');
});
afterAll(async () => {
  await teams?.close();
});

describe('replies in the asker’s language on Teams', () => {
  it('acknowledges a German request in German although the client is English, and claims in German', async () => {
    await send(
      personal(
        LENA,
        LENA_CHAT,
        'Mein Drucker im zweiten Stock druckt nicht mehr, ständig Papierstau',
        'en-US',
      ),
    );
    const ticket = await latestTicket();
    expect(textsTo(LENA_CHAT)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Danke, ich habe Ticket #${ticket.number} angelegt: „.+“ \\(P\\d, \\w+\\)\\. Das IT-Team antwortet hier\\.$`,
        ),
      ),
    ]);
    const before = teams.connector.posted().length;
    await command(`claim #${ticket.number}`);
    expect(textsTo(LENA_CHAT, before)).toEqual([
      `${ALEX.name} aus der IT kümmert sich um Ihr Ticket #${ticket.number}.`,
    ]);
  });

  it('answers a message too short to tell in the language of the activity’s locale', async () => {
    await send(personal(KAI, KAI_CHAT, 'Outlook crash', 'de-DE'));
    const ticket = await latestTicket();
    expect(textsTo(KAI_CHAT)).toEqual([
      `Danke, ich habe Ticket #${ticket.number} angelegt: „Outlook crash“ (P3, email). Das IT-Team antwortet hier.`,
    ]);
  });

  it('draws the ticket card in German after `config language de`', async () => {
    await command('config language de');
    const before = teams.connector.posted().length;
    await send(
      personal(LENA, 'a:1lena-second-chat', 'my laptop screen is cracked and flickers all the time', 'en-US'),
    );
    const card = teams.connector
      .posted()
      .slice(before)
      .find((call) => call.conversationId === TRIAGE)?.body?.attachments?.[0]?.content;
    const drawn = JSON.stringify(card);
    for (const german of [
      'Übernehmen',
      'Interne Notiz',
      'Lösen',
      'Schließen',
      'Priorität',
      'Anfragende/r',
      '🆕 Neu',
    ])
      expect(drawn).toContain(german);
    expect(drawn).not.toContain('"Claim"');
    expect(textsTo('a:1lena-second-chat', before)[0]).toMatch(/^Thanks, I've filed ticket #\d+/);
  });
});
