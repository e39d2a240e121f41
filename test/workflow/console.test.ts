/**
 * Issue 17 in the console chat (`helpdesk chat`): automatic assignment with a mention, a bulk close
 * with one refusal, time logged and totalled, and `help` listing the new commands by role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/runtime.ts';
import { chat, closeAll, consoleApp } from '../support/console.ts';
import { testConfig } from '../support/db.ts';

const config = testConfig();
let app: App | undefined;
beforeAll(async () => {
  app = await consoleApp(config, { worker: true });
  // agent-bob exists (as an agent) before assignment starts; the admin steps out of rotation.
  await chat(app, 'agent-bob', ['helpdesk help']);
  expect(await chat(app, 'admin', ['helpdesk config assignment round-robin'])).toContain(
    'Assignment is now round-robin',
  );
  expect(await chat(app, 'admin', ['helpdesk away'])).toContain('You are out of automatic assignment');
});
afterAll(() => closeAll([app], config));

/** Alice files a ticket: her first as a message (triaged), later ones with `new` (a message would follow up). */
const fileAs = async (text: string, asMessage = false) => {
  const printed = await chat(app!, 'alice', [asMessage ? text : `helpdesk new ${text}`]);
  const number = /filed ticket #(\d+)/.exec(printed)?.[1];
  expect(number).toBeDefined();
  return { printed, number: Number(number) };
};

describe('the console: assignment, bulk actions, time', () => {
  let laptop = 0;

  it('assigns a new ticket to agent-bob by round-robin, mentions him in the card thread and shows him on the card', async () => {
    const { printed, number } = await fileAs('my laptop will not boot', true);
    laptop = number;
    const card = new RegExp(`\\[#triage\\] \\((c\\d+)\\) 🤖 ┌ #${number} · `).exec(printed)?.[1];
    expect(card).toBeDefined();
    expect(printed).toContain(`[#triage ↳ ${card}] (c`);
    expect(printed).toMatch(new RegExp(`🤖 👉 #${number} is assigned to @agent-bob by round-robin\\.`));
    expect(printed).toMatch(new RegExp(`\\[#triage\\] \\(${card} updated\\) 🤖 ┌[^└]*│ Assignee: agent-bob`));
    const shown = await chat(app!, 'agent-bob', [`helpdesk show #${number}`]);
    expect(shown).toContain('assigned to agent-bob by round-robin');
  });

  it('closes several tickets at once, listing the one it refused and why', async () => {
    const a = (await fileAs('outlook keeps asking for my password')).number;
    const b = (await fileAs('the teams camera is black')).number;
    const c = (await fileAs('printer on 3 prints blank pages')).number;
    expect(await chat(app!, 'agent-bob', [`helpdesk close #${b}`])).toContain(`Closed #${b}.`);
    const printed = await chat(app!, 'agent-bob', [`helpdesk close #${a} #${b} #${c}`]);
    expect(printed).toContain(
      `Closed: #${a}, #${c} (2 of 3).\nRefused:\n• #${b}: Cannot do that to #${b}: the ticket is already closed.`,
    );
    // Ranges are bounded.
    expect(await chat(app!, 'agent-bob', ['helpdesk close #1-#500'])).toContain(
      '#1-#500 is more than 50 tickets; one command changes at most 50.',
    );
  });

  it('logs time, refuses an absurd entry, and totals it in show and stats', async () => {
    const { number } = await fileAs('docking station does not charge');
    expect(await chat(app!, 'agent-bob', [`helpdesk time #${number} 30m swapped the cable`])).toContain(
      `Logged 30m on #${number}. Total: 30m (agent-bob 30m).`,
    );
    expect(await chat(app!, 'agent-bob', [`helpdesk time #${number} 900h`])).toContain('more than a day');
    expect(await chat(app!, 'admin', [`helpdesk time #${number} 1h`])).toContain('Total: 1h30m');
    const shown = await chat(app!, 'agent-bob', [`helpdesk show #${number}`]);
    expect(shown).toContain('Time logged: 1h30m (admin 1h, agent-bob 30m)');
    expect(shown).toContain('agent-bob logged 30m: swapped the cable (internal)');
    // The requester sees neither the total nor the internal entry.
    const theirs = await chat(app!, 'alice', [`helpdesk show #${number}`]);
    expect(theirs).not.toContain('Time logged');
    expect(theirs).not.toContain('swapped the cable');
    const stats = await chat(app!, 'agent-bob', ['helpdesk stats']);
    expect(stats).toContain('Time logged: 1h30m');
    expect(await chat(app!, 'agent-bob', [`helpdesk time #${laptop} 45m`])).toContain(
      `Logged 45m on #${laptop}. Total: 45m (agent-bob 45m).`,
    );
    const more = await chat(app!, 'agent-bob', ['helpdesk stats']);
    expect(more).toContain('Time logged: 2h15m');
    expect(more).toContain('by category: other 1h30m, hardware 45m');
    expect(more).toContain('by agent: agent-bob 1h15m, admin 1h');
  });

  it('help lists the new commands for the roles that can use them', async () => {
    const requester = await chat(app!, 'alice', ['helpdesk help']);
    expect(requester).toContain('`close #N`');
    for (const hidden of ['time #N', 'skills', 'away', 'back', 'config assignment'])
      expect(requester).not.toContain(`\`${hidden}`);
    const agent = await chat(app!, 'agent-bob', ['helpdesk help']);
    for (const shown of [
      '`time #N 30m [note]`',
      '`skills [@who [category,category…|none]]`',
      '`away [@who] [until YYYY-MM-DD]`',
      '`back [@who]`',
      '`close #N [#N…|#A-#B]`',
      '`assign #N [#N…|#A-#B] @who`',
      '`priority #N [#N…|#A-#B] P1|P2|P3|P4`',
      '`resolve #N [#N…|#A-#B] <resolution>`',
    ])
      expect(agent).toContain(shown);
    expect(agent).not.toContain('config assignment');
    const admin = await chat(app!, 'admin', ['helpdesk help']);
    expect(admin).toContain('config assignment off|round-robin|load|skills');
  });
});
