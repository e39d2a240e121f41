import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/runtime.ts';
import { getSetting, triageChannelKey } from '../../src/core/settings/settings.ts';
import { chat, closeAll, consoleApp } from '../support/console.ts';
import { testConfig } from '../support/db.ts';

const config = testConfig();
let app: App | undefined;
beforeAll(async () => {
  app = await consoleApp(config, { worker: true });
});
afterAll(() => closeAll([app], config));

const triageChannel = async () =>
  ((await getSetting(app!.deps.db, triageChannelKey('console'))) as { channel: string } | undefined)?.channel;

describe('admin configuration from the console', () => {
  it('refuses `here` in the admin’s direct chat, and takes the channel named with #', async () => {
    const here = await chat(app!, 'admin', ['helpdesk config triage-channel here']);
    expect(here).toContain(
      '`here` is this direct chat, which cannot be the triage-channel. Type the command in that channel, or name it: `config triage-channel #channel`.',
    );
    expect(await triageChannel()).toBe('triage');

    const elsewhere = await chat(app!, 'admin', ['helpdesk config triage-channel #it-ops']);
    expect(elsewhere).toContain('The triage-channel is now #it-ops.');
    const filed = await chat(app!, 'alice', ['my laptop will not boot']);
    expect(filed).toMatch(/\n\[#it-ops\] \(c\d+\) 🤖 ┌ #1 · /);

    const back = await chat(app!, 'admin', ['helpdesk config triage-channel #triage']);
    expect(back).toContain('The triage-channel is now #triage.');
    expect(await triageChannel()).toBe('triage');
    const next = await chat(app!, 'alice', ['my new monitor arrived with a cracked screen']);
    expect(next).toMatch(/\n\[#triage\] \(c\d+\) 🤖 ┌ #2 · /);
    expect(next).not.toContain('[dm admin]');
  });

  it('runs `helpdesk …` typed in a ticket thread as a command: not relayed, not on the timeline', async () => {
    const filed = await chat(app!, 'alice', ['the VPN drops every hour']);
    const number = /filed ticket #(\d+)/.exec(filed)?.[1];
    const card = new RegExp(`\\[#triage\\] \\((c\\d+)\\) 🤖 ┌ #${number} · `).exec(filed)?.[1];
    expect(card).toBeDefined();

    const agent = await chat(app!, 'agent-bob', [`>${card} helpdesk claim #${number}`]);
    expect(agent).toContain(`[#triage ↳ ${card}] (only agent-bob) 🤖 You have #${number}.`);
    const admin = await chat(app!, 'admin', [`>${card} helpdesk config triage-channel here`]);
    expect(admin).toContain(`[#triage ↳ ${card}] (only admin) 🤖 The triage-channel is now this channel.`);
    expect(await triageChannel()).toBe('triage');

    // Nothing of either went to the requester or into the thread as words.
    for (const printed of [agent, admin]) expect(printed).not.toMatch(/helpdesk (claim|config)/);
    expect(admin).not.toContain('[dm alice');
    const ticket = await app!.deps.db
      .selectFrom('tickets')
      .select('id')
      .where('number', '=', Number(number))
      .executeTakeFirstOrThrow();
    const events = await app!.deps.db
      .selectFrom('ticket_events')
      .select(['type', 'body'])
      .where('ticket_id', '=', ticket.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['created', 'claimed']);
    expect(events.some((e) => e.body?.includes('helpdesk'))).toBe(false);
  });
});
