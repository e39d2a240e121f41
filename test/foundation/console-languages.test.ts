/**
 * Replies in the asker's language on the console (issue 17, item 6), with the offline agent router:
 * acknowledgements, notices, CSAT, refusals, help and chatter in the requester's language; cards in
 * the team's (`config language`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentRouter } from '../../src/agents/router.ts';
import type { Router } from '../../src/core/routing/router.ts';
import { command, message, startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
let agents: Router | undefined;

beforeAll(async () => {
  app = await startTestApp({
    http: false,
    env: { HELPDESK_ADMINS: 'admin@example.com' },
    router: { route: (input) => agents!.route(input) },
  });
  agents = createAgentRouter({ db: app.deps.db, clock: app.deps.clock, log: app.deps.log, model: null });
  await run(command('admin', 'config triage-channel triage'));
});
afterAll(async () => {
  await app?.close();
});

/** Runs one event and returns what the console printed for it. */
async function run(event: Parameters<TestApp['accept']>[0]): Promise<string> {
  const before = app.output().length;
  await app.accept(event);
  await app.idle();
  return app.output().slice(before);
}

const latestTicket = () =>
  app.deps.db.selectFrom('tickets').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();

describe('replies in the asker’s language on the console', () => {
  it('acknowledges a German request in German, and says claim, resolution and the rating in German', async () => {
    const said = await run(
      message('lea', 'Mein Drucker im zweiten Stock druckt nicht mehr, ständig Papierstau'),
    );
    const ticket = await latestTicket();
    expect(said).toContain(
      `Danke, ich habe Ticket #${ticket.number} angelegt: „Mein Drucker im zweiten Stock druckt nicht mehr, ständig Papierstau“ (P3, printing). Das IT-Team antwortet hier.`,
    );
    // The agents' card stays English until the team's language is set.
    expect(said).toContain('Status: 🆕 New');
    expect(await run(command('admin', `claim #${ticket.number}`))).toContain(
      `admin aus der IT kümmert sich um Ihr Ticket #${ticket.number}.`,
    );
    const resolved = await run(command('admin', `resolve #${ticket.number} Papier neu eingelegt`));
    expect(resolved).toContain(`✅ Ticket #${ticket.number} wurde von admin gelöst: Papier neu eingelegt`);
    expect(resolved).toContain(`Wie zufrieden waren Sie mit #${ticket.number}?`);
    expect(resolved).toContain('Bewerten Sie die Hilfe von 1 (schlecht) bis 5 (sehr gut).');
  });

  it('answers the German speaker’s commands in German: help, and a refusal', async () => {
    const help = await run(command('lea', 'help'));
    expect(help).toContain(
      'Schreiben Sie mir, was nicht funktioniert, und ich helfe oder lege ein Ticket an. Befehle:',
    );
    expect(help).toContain('• `new <what is wrong>` — ein Ticket anlegen');
    expect(help).toContain('• `show #N` — ein Ticket mit seinem ganzen Verlauf');
    const mine = await run(command('lea', 'mine'));
    expect(mine).toContain('Ihre Tickets:');
    const shown = await run(command('lea', 'show #1'));
    expect(shown).toContain('Status: ✅ Gelöst');
    expect(shown).toContain('Verlauf:');
    expect(await run(command('lea', 'claim #1'))).toContain(
      '`claim` erfordert die Rolle Agent (Ihre Rolle: Anfragende/r).',
    );
  });

  it('acknowledges French, Spanish and Portuguese requests in their language', async () => {
    const requests = [
      [
        'jean',
        "Mon imprimante ne fonctionne plus depuis ce matin, j'ai tout essayé",
        "Merci, j'ai créé le ticket #",
      ],
      [
        'ana',
        'Mi impresora no funciona desde esta mañana y no puedo imprimir nada',
        'Gracias, he creado el ticket #',
      ],
      [
        'joao',
        'Minha impressora não está funcionando desde hoje de manhã, não imprime nada',
        'Obrigado, abri o ticket #',
      ],
    ] as const;
    for (const [who, text, ack] of requests) {
      const said = await run(message(who, text));
      expect(said).toContain(`${ack}${(await latestTicket()).number}`);
    }
    // Jean's later commands are answered in French too.
    expect(await run(command('jean', 'show #1'))).toContain(
      "Le ticket #1 n'est pas le vôtre ; seul son demandeur ou un agent peut le voir.",
    );
  });

  it('answers thanks and a greeting in the language they were said in', async () => {
    expect(await run(message('ute', 'hallo'))).toContain('Hallo! 👋 Schreiben Sie mir');
    expect(await run(message('ute', 'danke'))).toContain('Gern geschehen! 🙂');
    expect(await run(message('rui', 'obrigado!'))).toContain('De nada! 🙂');
  });

  it('answers a language without texts in English', async () => {
    const said = await run(
      message(
        'gio',
        'la stampante del secondo piano non funziona più e non stampa niente da ieri, per favore',
      ),
    );
    expect(said).toContain(`Thanks, I've filed ticket #${(await latestTicket()).number}: "`);
  });

  it('draws cards in German after `config language de`, and refuses a language without texts', async () => {
    expect(await run(command('admin', 'config language xx'))).toContain(
      'I have no texts in "xx". Supported languages: en, de, fr, es, pt.',
    );
    expect(await run(command('admin', 'config language de'))).toContain(
      'Karten und Texte im Triage-Kanal sind jetzt auf Deutsch.',
    );
    const said = await run(message('tom', 'my laptop screen is cracked and flickers all the time'));
    expect(said).toContain(`Thanks, I've filed ticket #${(await latestTicket()).number}: "`);
    for (const german of [
      'Status: 🆕 Neu',
      'Priorität: P3',
      'Bearbeiter/in: Nicht zugewiesen',
      '] Übernehmen',
    ])
      expect(said).toContain(german);
    expect(said).not.toContain('Claim');
    // A requester refused by a role check: only admins may set the language.
    expect(await run(command('tom', 'config language fr'))).toContain('`config` needs the admin role');
  });
});
