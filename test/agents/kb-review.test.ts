import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentRouter, createAgentRouter } from '../../src/agents/router.ts';
import { command, message, startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
let agents: AgentRouter | undefined;

beforeAll(async () => {
  // The router needs the app's database, and the app needs the router's hook: bind it once both exist.
  app = await startTestApp({
    http: false,
    env: { HELPDESK_ADMINS: 'root@example.com' },
    router: { route: (input) => agents!.route(input) },
    ticketHooks: [(tx, deps, change) => agents!.knowledgeMining(tx, deps, change)],
  });
  agents = createAgentRouter({ db: app.deps.db, clock: app.deps.clock, log: app.deps.log, model: null });
});

afterAll(async () => {
  await app?.close();
});

const article = (id: string) =>
  app.deps.db.selectFrom('kb_articles').selectAll().where('id', '=', id).executeTakeFirst();

describe('knowledge mining and review', () => {
  it('drafts a redacted article when a ticket is resolved with a note, and only an admin publishes it', async () => {
    await app.accept(message('erin', 'my laptop screen is cracked, call me on +44 20 7946 0958'));
    await app.idle();
    const ticket = await app.deps.db
      .selectFrom('tickets')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();

    await app.accept(
      command(
        'root',
        `resolve #${ticket.number} Replaced the panel under warranty; confirmed with erin@example.com`,
      ),
    );
    await app.idle();
    const draft = await article(`ticket-${ticket.number}`);
    expect(draft).toMatchObject({ status: 'draft', source: 'ticket', source_ticket_id: ticket.id });
    expect(draft!.body).toContain('Replaced the panel under warranty');
    expect(draft!.body).not.toContain('erin@example.com');
    expect(draft!.body).not.toContain('7946 0958');

    // Not searchable while it is a draft.
    await app.accept(command('frank', 'kb search replaced panel warranty'));
    await app.idle();
    expect(app.output()).toContain('Nothing in the knowledge base matches');

    await app.accept(command('frank', `kb approve ticket-${ticket.number}`));
    await app.idle();
    expect(app.output()).toMatch(/Only admins can do that/);
    expect((await article(`ticket-${ticket.number}`))!.status).toBe('draft');

    await app.accept(command('root', 'kb drafts'));
    await app.idle();
    expect(app.output()).toContain(`ticket-${ticket.number}`);

    await app.accept(command('root', `kb approve ticket-${ticket.number}`));
    await app.idle();
    expect((await article(`ticket-${ticket.number}`))!.status).toBe('published');
  });

  it('lets agents (not requesters) add an article that search then finds', async () => {
    await app.accept(
      command('grace', 'kb add Book a parking space | Use the facilities app and pick a level.'),
    );
    await app.idle();
    expect(app.output()).toMatch(/Only agents can do that/);

    await app.accept(
      command('root', 'kb add Book a parking space | Use the facilities app and pick a level.'),
    );
    await app.idle();
    expect(app.output()).toMatch(/Added “Book a parking space”/);
    await app.accept(command('grace', 'kb search parking space'));
    await app.idle();
    expect(app.output()).toContain('Book a parking space [kb:book-a-parking-space-');
  });

  it('rejects a draft so it never reaches the knowledge base', async () => {
    await app.accept(message('heidi', 'the dock on desk 12 does not charge my laptop'));
    await app.idle();
    const ticket = await app.deps.db
      .selectFrom('tickets')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    await app.accept(command('root', `resolve #${ticket.number} Swapped the dock power supply`));
    await app.idle();
    await app.accept(command('root', `kb reject ticket-${ticket.number}`));
    await app.idle();
    expect((await article(`ticket-${ticket.number}`))!.status).toBe('rejected');
  });
});
