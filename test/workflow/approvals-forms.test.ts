/**
 * Approvals and request forms through the console channel, on the real Postgres and Redis: the
 * admin commands, a request waiting for approval (SLA paused), Approve and Deny from the approvers'
 * cards (first decision wins, the requester never decides their own), the reminder job, a form
 * filled through the `new <category>` dialog, the follow-up question for a missing required field,
 * and the `queue field:` search.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remindApprovers } from '../../src/core/approvals/approval.service.ts';
import type { ChatEvent } from '../../src/core/chat/chat.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { command, consoleUser, dm, message, startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
const clock = fixedClock('2026-12-07T09:00:00Z');
const run = async (event: ChatEvent) => {
  await app.accept(event);
  await app.idle();
};

let seq = 0;
function press(name: string, actionId: string, value: string, inputs?: Record<string, string>): ChatEvent {
  return {
    platform: 'console',
    kind: 'action',
    eventId: `press-${++seq}-${name}`,
    sender: consoleUser(name),
    conversation: dm(name),
    actionId,
    value,
    ...(inputs ? { inputs } : {}),
  };
}

/** What the bot sent to a console conversation, oldest first. */
async function sentTo(channel: string) {
  return app.deps.db
    .selectFrom('outbox')
    .select(['op', 'purpose', 'body', 'update_of', 'status'])
    .where('platform', '=', 'console')
    .where(sql<string>`target->>'channel'`, '=', channel)
    .orderBy('id')
    .execute();
}

const textsTo = async (channel: string) =>
  (await sentTo(channel)).map((row) => row.body.message?.text ?? row.body.dialog?.title ?? '');

async function latestTicket() {
  return app.deps.db.selectFrom('tickets').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
}

beforeAll(async () => {
  app = await startTestApp({ env: { HELPDESK_ADMINS: 'root@example.com' }, clock });
  await app.deps.db
    .insertInto('settings')
    .values({
      key: 'triage-channel:console',
      value: JSON.stringify({ platform: 'console', tenant: 'local', channel: 'triage' }),
      updated_by: null,
    })
    .execute();
  // The approvers have written to the bot, so it knows their direct chats.
  for (const name of ['root', 'mgr', 'carol', 'dave', 'alice', 'bob']) await run(message(name, 'hello'));
  await run(command('root', 'role @bob agent'));
});
afterAll(async () => {
  await app?.close();
});

describe('approval and form configuration (admins)', () => {
  it('sets the categories, approvers and form fields, and refuses everyone else', async () => {
    await run(command('alice', 'approvals access'));
    expect((await textsTo('dm-alice')).at(-1)).toContain('needs the admin role');

    await run(command('root', 'approvals access,software'));
    await run(command('root', 'approvers access @mgr,@carol,@alice'));
    await run(command('root', 'form access add "System" required'));
    await run(command('root', 'form access add "Access level" choice read,write,admin'));
    await run(command('root', 'form access add "Cost centre"'));
    await run(command('root', 'form access remove "Cost centre"'));
    await run(command('root', 'form access'));
    await run(command('root', 'approvals'));
    const said = await textsTo('dm-root');
    expect(said).toContain(
      'Requests in access, software now wait for approval. Name their approvers with `approvers access @who,@who`; until then admins decide.',
    );
    expect(said).toContain('access requests are now approved by alice, carol, mgr.');
    expect(said).toContain(
      'The access form now asks for Access level: one of read, write, admin (optional).',
    );
    expect(said).toContain('Removed "Cost centre" from the access form.');
    expect(said.join('\n')).toContain(
      'The access form asks for:\n• System (required)\n• Access level: one of read, write, admin (optional)',
    );
    expect(said.at(-1)).toContain('• access: alice, carol, mgr');
    const audit = await app.deps.db.selectFrom('audit_log').select(['action', 'target']).execute();
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'approvals', target: 'approval-categories' },
        { action: 'approvers', target: 'approvers:access' },
        { action: 'form', target: 'form:access' },
      ]),
    );
  });

  it('lists the new commands in help for admins only', async () => {
    await run(command('root', 'help'));
    await run(command('alice', 'help'));
    const admin = (await textsTo('dm-root')).at(-1) ?? '';
    const requester = (await textsTo('dm-alice')).at(-1) ?? '';
    for (const usage of [
      'approvals <category,category|off>',
      'approvers <category> @who,@who|off',
      'form <category>',
    ])
      expect(admin).toContain(usage);
    expect(requester).not.toContain('approvers');
    expect(requester).not.toContain('`form');
  });
});

describe('a request that needs approval', () => {
  let ticketId: number;
  let number: number;

  it('waits for approval with its SLA paused, asks the missing field, and sends the approvers a card', async () => {
    await run(message('alice', 'I need access to the SAP finance module for month-end reporting'));
    const ticket = await latestTicket();
    ({ id: ticketId, number } = ticket);
    expect(ticket).toMatchObject({ status: 'awaiting_approval', category: 'access', intent: 'request' });
    expect(ticket.resolution_due_at).toBeNull();
    const sla = await app.deps.db
      .selectFrom('ticket_sla')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(sla.paused_since).not.toBeNull();

    const toAlice = await textsTo('dm-alice');
    expect(toAlice.join('\n')).toContain(`your request #${number}`);
    expect(toAlice.at(-1)).toBe(
      `📝 One more thing for #${number}: what is the System? Reply here, or say "skip".`,
    );
    for (const approver of ['mgr', 'carol']) {
      const cards = (await sentTo(`dm-${approver}`)).filter((row) => row.purpose === 'approval-card');
      expect(cards).toHaveLength(1);
      expect(cards[0]?.body.message?.card?.actions?.map((a) => a.type === 'button' && a.label)).toEqual([
        'Approve',
        'Deny',
      ]);
    }
    // The requester is one of the approvers, but never gets a card for their own request.
    expect((await sentTo('dm-alice')).some((row) => row.purpose === 'approval-card')).toBe(false);
    const card = (await sentTo('triage')).find((row) => row.purpose === 'ticket-card');
    expect(card?.body.message?.card?.fields).toContainEqual({
      label: 'Status',
      value: '🛂 Awaiting approval',
    });
  });

  it("takes the requester's next direct message as the answer, and the card and show list it", async () => {
    await run(message('alice', 'SAP'));
    expect((await textsTo('dm-alice')).at(-1)).toBe(
      `👍 Thanks, that's everything for #${number}. The IT team will reply here.`,
    );
    const fields = await app.deps.db
      .selectFrom('ticket_fields')
      .select(['name', 'value'])
      .where('ticket_id', '=', ticketId)
      .execute();
    expect(fields).toEqual([{ name: 'System', value: 'SAP' }]);
    // No second ticket was filed for the answer.
    expect((await latestTicket()).id).toBe(ticketId);
    const refreshed = (await sentTo('triage')).filter((row) => row.purpose === 'ticket-card-update').at(-1);
    expect(refreshed?.body.message?.card?.fields).toContainEqual({ label: 'System', value: 'SAP' });

    await run(command('bob', `show #${number}`));
    const shown = (await textsTo('dm-bob')).at(-1) ?? '';
    expect(shown).toContain('System: SAP');
    expect(shown).toContain('alice gave the System: SAP');
  });

  it('is found by agents with queue field:System=SAP, and the search is refused to requesters', async () => {
    await run(command('bob', 'queue field:system=sap'));
    expect((await textsTo('dm-bob')).at(-1)).toContain(`#${number} [P4]`);
    await run(command('bob', 'queue field:System=Oracle'));
    expect((await textsTo('dm-bob')).at(-1)).toBe('No open ticket has System = Oracle.');
    await run(command('alice', 'queue field:System=SAP'));
    expect((await textsTo('dm-alice')).at(-1)).toContain('needs the agent role');
  });

  it("refuses the requester's own approval and a stranger's, with a clear message", async () => {
    await run(press('alice', 'approval.approve', String(ticketId)));
    expect((await textsTo('dm-alice')).at(-1)).toBe(
      `You asked for #${number}, so you cannot decide it yourself; one of its other approvers will.`,
    );
    await run(press('dave', 'approval.approve', String(ticketId)));
    expect((await textsTo('dm-dave')).at(-1)).toBe(
      `Only the approvers of access requests (or an admin) can decide #${number}.`,
    );
    expect((await latestTicket()).status).toBe('awaiting_approval');
  });

  it('lets an approver who is not an agent read the request with show, and nobody else', async () => {
    await run(command('mgr', `show #${number}`));
    const shown = (await textsTo('dm-mgr')).at(-1) ?? '';
    expect(shown).toContain(`#${number}`);
    expect(shown).toContain('Timeline');
    await run(command('dave', `show #${number}`));
    expect((await textsTo('dm-dave')).at(-1)).toBe(
      `Ticket #${number} is not yours; only its requester or an agent can see it.`,
    );
  });

  it('reminds the approvers once per period, and a second run sends nothing more', async () => {
    expect(await remindApprovers(app.deps)).toEqual({ reminded: 0 });
    clock.advance(25 * 60 * 60_000);
    expect(await remindApprovers(app.deps)).toEqual({ reminded: 1 });
    expect(await remindApprovers(app.deps)).toEqual({ reminded: 0 });
    await app.idle();
    for (const approver of ['mgr', 'carol'])
      expect((await textsTo(`dm-${approver}`)).filter((t) => t.startsWith('⏰ Reminder: #'))).toHaveLength(1);
  });

  it('opens on the first approval: the timeline says who, the requester is told, every card shows it', async () => {
    await run(press('mgr', 'approval.approve', String(ticketId)));
    const ticket = await latestTicket();
    expect(ticket.status).toBe('open');
    expect(ticket.resolution_due_at).not.toBeNull();
    const approval = await app.deps.db
      .selectFrom('approvals')
      .innerJoin('people', 'people.id', 'approvals.decided_by')
      .select(['approvals.status', 'people.display_name', 'approvals.decided_at'])
      .where('ticket_id', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(approval).toMatchObject({ status: 'approved', display_name: 'mgr', decided_at: clock.now() });
    expect((await textsTo('dm-alice')).at(-1)).toBe(
      `✅ Your request #${number} was approved by mgr. The IT team takes it from here.`,
    );
    for (const approver of ['mgr', 'carol']) {
      const update = (await sentTo(`dm-${approver}`)).filter((row) => row.purpose === 'approval-card-update');
      expect(update).toHaveLength(1);
      expect(update[0]?.body.message?.card).toMatchObject({
        title: `✅ #${number} approved by mgr`,
        actions: [],
      });
    }
    // The first decision wins: a later one is told who decided.
    await run(press('carol', 'approval.deny', String(ticketId), { note: 'too late' }));
    expect((await textsTo('dm-carol')).at(-1)).toBe(`#${number} was already approved by mgr.`);
    expect((await latestTicket()).status).toBe('open');
    await run(command('bob', `show #${number}`));
    expect((await textsTo('dm-bob')).at(-1)).toMatch(
      /approval requested from carol, mgr[\s\S]*mgr approved it/,
    );
  });
});

describe('a denied request', () => {
  it('asks the approver for a reason, closes the ticket and sends the reason to the requester', async () => {
    await run(message('alice', 'Please give me access to the shared finance drive'));
    const { id, number, status } = await latestTicket();
    expect(status).toBe('awaiting_approval');
    await run(message('alice', 'skip'));
    expect((await textsTo('dm-alice')).at(-1)).toBe(
      `👍 Thanks, that's everything for #${number}. The IT team will reply here.`,
    );

    await run(press('carol', 'approval.deny', String(id)));
    const form = (await sentTo('dm-carol')).at(-1);
    expect(form?.op).toBe('dialog');
    expect(form?.body.dialog).toMatchObject({ callbackId: 'approval.deny.submit', privateValue: String(id) });
    expect((await latestTicket()).status).toBe('awaiting_approval');

    await run(
      press('carol', 'approval.deny.submit', String(id), { note: 'Finance data needs a manager request' }),
    );
    const ticket = await latestTicket();
    expect(ticket.status).toBe('closed');
    expect((await textsTo('dm-alice')).at(-1)).toBe(
      `⛔ Your request #${number} was denied by carol: Finance data needs a manager request`,
    );
    const denied = await app.deps.db
      .selectFrom('ticket_events')
      .innerJoin('people', 'people.id', 'ticket_events.actor_id')
      .select(['ticket_events.body', 'people.display_name', 'ticket_events.created_at'])
      .where('ticket_events.ticket_id', '=', id)
      .where('ticket_events.type', '=', 'denied')
      .executeTakeFirstOrThrow();
    expect(denied).toMatchObject({ body: 'Finance data needs a manager request', display_name: 'carol' });
    const update = (await sentTo('dm-mgr')).filter((row) => row.purpose === 'approval-card-update').at(-1);
    expect(update?.body.message?.card?.title).toBe(`⛔ #${number} denied by carol`);
    expect(update?.body.message?.card?.fields).toContainEqual({
      label: 'Reason',
      value: 'Finance data needs a manager request',
    });
  });
});

describe('the request form', () => {
  it('new <category> opens the form; its values are stored, and a choice must be one of its options', async () => {
    await run(command('dave', 'new access'));
    const dialog = (await sentTo('dm-dave')).at(-1)?.body.dialog;
    expect(dialog?.inputs.map((input) => [input.label, input.optional ?? false])).toEqual([
      ['Title', true],
      ['What do you need?', false],
      ['System', false],
      ['Access level', true],
    ]);
    const [system, level] = (dialog?.inputs ?? []).slice(2).map((input) => input.id);
    await run(
      press('dave', 'ticket.new.submit', dialog?.privateValue ?? '', {
        title: 'Payroll read access',
        description: 'Read access to payroll for the audit',
        [system ?? '']: 'Workday',
        [level ?? '']: 'read',
      }),
    );
    const ticket = await latestTicket();
    expect(ticket).toMatchObject({
      title: 'Payroll read access',
      category: 'access',
      status: 'awaiting_approval',
    });
    const fields = await app.deps.db
      .selectFrom('ticket_fields')
      .select(['name', 'value'])
      .where('ticket_id', '=', ticket.id)
      .orderBy('id')
      .execute();
    expect(fields).toEqual([
      { name: 'System', value: 'Workday' },
      { name: 'Access level', value: 'read' },
    ]);
    // Nothing required is missing: no follow-up question.
    expect((await textsTo('dm-dave')).some((t) => t.startsWith('📝 One more thing'))).toBe(false);
  });

  it('asks again when a follow-up answer is not one of the choices', async () => {
    await run(command('root', 'form software add "Licence" choice named,shared required'));
    await run(message('dave', 'I need a license for Adobe Acrobat Pro'));
    const { id, number } = await latestTicket();
    expect((await textsTo('dm-dave')).at(-1)).toBe(
      `📝 One more thing for #${number}: what is the Licence (one of: named, shared)? Reply here, or say "skip".`,
    );
    await run(message('dave', 'floating'));
    expect((await textsTo('dm-dave')).at(-1)).toContain('That is not one of the options.');
    await run(message('dave', 'Named'));
    const fields = await app.deps.db
      .selectFrom('ticket_fields')
      .select(['name', 'value'])
      .where('ticket_id', '=', id)
      .execute();
    expect(fields).toEqual([{ name: 'Licence', value: 'named' }]);
  });
});

describe('a request nobody is named to approve', () => {
  it('goes to the admins; agents cannot work it yet, and once the requester withdraws it nobody can approve it', async () => {
    await run(message('alice', 'I need a license for Adobe Acrobat Pro'));
    const { id, number, status } = await latestTicket();
    expect(status).toBe('awaiting_approval');
    // No approvers are named for software: the admin decides.
    const card = (await sentTo('dm-root')).find(
      (row) =>
        row.purpose === 'approval-card' &&
        row.body.message?.card?.title.startsWith(`Approval needed: #${number}`),
    );
    expect(card).toBeDefined();

    await run(command('bob', `claim #${number}`));
    expect((await textsTo('dm-bob')).at(-1)).toBe(
      `Cannot do that to #${number}: the request is awaiting approval; an approver decides first.`,
    );
    await run(command('alice', `close #${number}`));
    expect((await latestTicket()).status).toBe('closed');
    await run(press('root', 'approval.approve', String(id)));
    expect((await textsTo('dm-root')).at(-1)).toBe(
      `Cannot do that to #${number}: the ticket is closed; file a new one instead.`,
    );
    const approval = await app.deps.db
      .selectFrom('approvals')
      .select('status')
      .where('ticket_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(approval.status).toBe('pending');
  });
});

describe('a German request in a category with a required field', () => {
  it('asks the follow-up question and thanks in German', async () => {
    await run(message('hans', 'Ich brauche Zugriff auf das SAP System für die Buchhaltung, bitte'));
    const { number, category } = await latestTicket();
    expect(category).toBe('access');
    expect((await textsTo('dm-hans')).at(-1)).toBe(
      `📝 Noch eine Frage zu #${number}: Wie lautet System? Antworten Sie hier oder schreiben Sie „skip“.`,
    );
    await run(message('hans', 'SAP'));
    expect((await textsTo('dm-hans')).at(-1)).toBe(
      `👍 Danke, das ist alles für #${number}. Das IT-Team antwortet hier.`,
    );
  });
});
