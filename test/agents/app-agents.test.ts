/**
 * The agent router as the running helpdesk uses it: built by the app from configuration, on the
 * real Postgres and Redis, with conversation state and tickets read back from the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/app/config.ts';
import type { ChatEvent } from '../../src/core/chat/chat.ts';
import { ensureDemoKnowledgeBase } from '../../src/core/kb/kb.demo.ts';
import { dm, message, startTestApp, type TestApp } from '../support/app.ts';
import { dropSchema, testConfig } from '../support/db.ts';
import { type FakeOpenAI, startFakeOpenAI } from './fake-openai.ts';
import { capturedAppLogger } from './support.ts';

const ticketsOf = (app: TestApp) =>
  app.deps.db.selectFrom('tickets').selectAll().orderBy('id', 'asc').execute();

describe('the offline router in the running helpdesk', () => {
  let config: Config;
  let app: TestApp | undefined;

  beforeAll(() => {
    // No OPENAI_* settings: the app builds the router on the local models.
    config = testConfig({ OPENAI_API_KEY: '', OPENAI_BASE_URL: '' });
  });

  afterAll(async () => {
    await app?.close();
    await dropSchema(config.DATABASE_SCHEMA);
  });

  it('asks one clarifying question and continues it after a restart, from the state in Postgres', async () => {
    app = await startTestApp({ config, http: false });
    await app.accept(message('frank', 'help'));
    await app.idle();
    expect(app.output()).toContain('Could you tell me a bit more?');
    expect(await ticketsOf(app)).toHaveLength(0);
    const stored = await app.deps.db
      .selectFrom('conversations')
      .select('state')
      .where('channel', '=', 'dm-frank')
      .where('thread', '=', '')
      .executeTakeFirstOrThrow();
    expect(stored.state).toMatchObject({ agent: 'clarify', original: 'help' });

    // A new process with a new router: only the database remembers the question.
    await app.close();
    app = await startTestApp({ config, http: false });
    await app.accept(message('frank', 'my laptop screen is cracked'));
    await app.idle();
    const [ticket, ...more] = await ticketsOf(app);
    expect(more).toHaveLength(0);
    expect(ticket).toMatchObject({ category: 'hardware', title: 'My laptop screen is cracked' });
    expect(ticket!.description).toContain('help');
    expect(ticket!.description).toContain('my laptop screen is cracked');
    expect(app.output()).not.toContain('Could you tell me a bit more?');
    const after = await app.deps.db
      .selectFrom('conversations')
      .select('state')
      .where('channel', '=', 'dm-frank')
      .where('thread', '=', '')
      .executeTakeFirstOrThrow();
    expect(after.state).toBeNull();
  });

  it('asks each of three people about "it\'s broken" once, filing nothing', async () => {
    app ??= await startTestApp({ config, http: false });
    const before = (await ticketsOf(app)).length;
    const printed = app.output().length;
    for (const who of ['ines', 'jonas', 'kai']) {
      await app.accept(message(who, "it's broken", { conversation: dm(who) }));
      await app.idle();
    }
    expect(await ticketsOf(app)).toHaveLength(before);
    expect(
      app
        .output()
        .slice(printed)
        .match(/Could you tell me a bit more\?/g),
    ).toHaveLength(3);
  });

  it('adds a follow-up in a conversation with an open ticket to that ticket instead of filing another', async () => {
    app ??= await startTestApp({ config, http: false });
    const before = (await ticketsOf(app)).length;
    // A thread-less chat (a Teams 1:1): the ticket lives in the conversation itself.
    const chat = dm('gina');
    await app.accept(message('gina', 'my laptop screen is cracked', { conversation: chat }));
    await app.idle();
    const filed = (await ticketsOf(app)).slice(before);
    expect(filed).toHaveLength(1);
    await app.accept(message('gina', 'and now it will not charge either', { conversation: chat }));
    await app.idle();
    // And a reply in a ticket's own thread (Slack, the console) lands on that ticket too.
    const question = message('hana', 'my monitor stays black after the docking station update');
    await app.accept(question);
    await app.idle();
    const hana = (await ticketsOf(app)).at(-1)!;
    await app.accept(
      message('hana', 'it flickers on the second port', {
        conversation: dm('hana', question.kind === 'message' ? question.messageId : undefined),
      }),
    );
    await app.idle();

    expect(await ticketsOf(app)).toHaveLength(before + 2);
    const replies = await app.deps.db
      .selectFrom('ticket_events')
      .select(['ticket_id', 'body'])
      .where('type', '=', 'requester_reply')
      .orderBy('id', 'asc')
      .execute();
    expect(replies).toEqual([
      { ticket_id: filed[0]!.id, body: 'and now it will not charge either' },
      { ticket_id: hana.id, body: 'it flickers on the second port' },
    ]);
  });
});

describe('personal data through the running helpdesk with a model configured', () => {
  let app: TestApp;
  let fake: FakeOpenAI;
  const logs = capturedAppLogger();

  const secrets = {
    email: 'jane.doe@contoso.com',
    phone: '+44 20 7946 0958',
    card: '4111 1111 1111 1111',
    iban: 'DE89 3704 0044 0532 0130 00',
    ip: '10.42.17.203',
    password: 'Hunter2!xyz',
    openai: 'sk-proj-T3stKeyAbCdEf1234567890XyZ',
    github: 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8',
    aws: 'AKIAIOSFODNN7EXAMPLE',
  };
  const messages = [
    `my laptop screen is cracked, reach me at ${secrets.email} or ${secrets.phone}`,
    `the expense portal charged my card ${secrets.card} twice; refund it to ${secrets.iban} please`,
    `how do I set up VPN on my Mac? it shows ${secrets.ip} as its address`,
    `I cannot log in to Okta and my password is ${secrets.password}`,
    `our build log leaked ${secrets.openai}, ${secrets.github} and ${secrets.aws}`,
  ];

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    app = await startTestApp({
      http: false,
      log: logs.log,
      env: {
        LOG_LEVEL: 'debug',
        OPENAI_API_KEY: 'sk-test-not-a-real-key',
        OPENAI_BASE_URL: fake.baseURL,
        LLM_TIMEOUT_MS: '2000',
      },
    });
    await ensureDemoKnowledgeBase(app.deps.db, new Date());
  });

  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  it('keeps e-mails, phones, cards, IBANs, IPs, passwords and API keys out of model requests, logs and llm_calls', async () => {
    // Each message once per server behaviour: answered, invalid output (warnings logged), failing.
    // The round goes into the text so that no cached answer stands in for the model.
    const sentTexts: string[] = [];
    const answered: Array<{ id: number; event: ChatEvent }> = [];
    for (const [round, mode] of (['ok', 'invalid', 'error'] as const).entries()) {
      fake.mode = mode;
      for (const [i, text] of messages.entries()) {
        sentTexts.push(`${text} (round ${round + 1})`);
        const event = message(`user${round}x${i}`, sentTexts.at(-1)!);
        const { id } = await app.accept(event);
        if (text.startsWith('how do I')) answered.push({ id, event });
        await app.idle();
      }
    }
    // Core's own use cases log too: "That fixed it" on one answer, "I still need help" on another.
    const [fixed, notFixed] = answered;
    for (const [pressed, actionId] of [
      [fixed!, 'answer.fixed'],
      [notFixed!, 'answer.more-help'],
    ] as const) {
      await app.accept({
        platform: 'console',
        kind: 'action',
        eventId: `click-${actionId}-${pressed.id}`,
        sender: pressed.event.sender,
        conversation: pressed.event.conversation,
        actionId,
        value: String(pressed.id),
      });
      await app.idle();
    }

    const sent = fake.requests.map((r) => r.raw).join('\n');
    const logged = logs.lines.join('');
    const recorded = JSON.stringify(await app.deps.db.selectFrom('llm_calls').selectAll().execute());
    // The model was asked (about the redacted text), and debug lines were written by core and agents.
    for (const placeholder of ['[email]', '[phone]', '[card]', '[iban]', '[ip]', '[password]', '[secret]'])
      expect(sent).toContain(placeholder);
    expect(fake.requests.some((r) => r.body.response_format?.json_schema?.name === 'triage_answer')).toBe(
      true,
    );
    expect(logged).toContain('"level":20');
    expect(logged).toContain('model call failed');
    expect(logged).toContain('answer deflected a ticket');
    expect(recorded).toContain('[email]');
    for (const [kind, secret] of Object.entries(secrets)) {
      expect(sent, `${kind} reached the model`).not.toContain(secret);
      expect(logged, `${kind} reached a log line`).not.toContain(secret);
      expect(recorded, `${kind} reached llm_calls`).not.toContain(secret);
    }

    // The IT team still gets the requester's own words.
    const descriptions = (await ticketsOf(app)).map((t) => t.description).join('\n');
    const filed = sentTexts.filter((m) => !m.startsWith('how do I') || m.endsWith('(round 2)'));
    for (const text of filed) expect(descriptions).toContain(text);
  });
});
