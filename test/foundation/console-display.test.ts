import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/runtime.ts';
import { blocksWith, chat, closeAll, consoleApp } from '../support/console.ts';
import { testConfig } from '../support/db.ts';

const config = testConfig();
let app: App | undefined;
beforeAll(async () => {
  app = await consoleApp(config, { worker: true });
});
afterAll(() => closeAll([app], config));

/** Files a ticket as `who`; its number and the console id of its card in #triage. */
async function file(who: string, text: string): Promise<{ number: number; card: string; printed: string }> {
  const printed = await chat(app!, who, [text]);
  const number = Number(/filed ticket #(\d+)/.exec(printed)?.[1]);
  const card = new RegExp(`\\[#triage\\] \\((c\\d+)\\) 🤖 ┌ #${number} · `).exec(printed)?.[1] ?? '';
  expect(card).not.toBe('');
  return { number, card, printed };
}

describe('what the console shows', () => {
  it('posts a new card once: no "(cN updated)" re-post follows it', async () => {
    const { card, printed } = await file('alice', 'my laptop will not boot');
    // The card is drawn with its SLA due times, so nothing moves right after filing.
    expect(printed).toContain('│ Resolve by: ');
    const later = await chat(app!, 'alice', ['helpdesk mine']);
    expect(`${printed}${later}`).not.toContain(`(${card} updated)`);
    expect(`${printed}${later}`).not.toContain('updated)');
  });

  it('confirms a note typed in the ticket thread, and keeps it from the requester', async () => {
    const { number, card } = await file('alice', 'the docking station does not charge');
    const printed = await chat(app!, 'agent-bob', [`>${card} note: probably the power brick`]);
    expect(printed).toContain(
      `[#triage ↳ ${card}] (only agent-bob) 🤖 📝 Noted on #${number}; the requester does not see it.`,
    );
    expect(printed).not.toContain('[dm alice');
  });

  it('confirms `new <text>` once', async () => {
    const printed = await chat(app!, 'dora', ['helpdesk new my mouse is broken']);
    const number = /filed ticket #(\d+)/.exec(printed)?.[1];
    expect(blocksWith(printed, `#${number}`).filter((b) => !b.includes('┌'))).toHaveLength(1);
    expect(printed).not.toMatch(/Filed #\d+/);
  });

  it('shows the timeline as sentences, the description once, and a reopened card without its old resolution', async () => {
    const { number, card } = await file('alice', 'my laptop screen is cracked');
    await chat(app!, 'agent-bob', [
      `helpdesk claim #${number}`,
      `helpdesk priority #${number} P2`,
      `>${card} Which model is it?`,
      `>${card} note: needs a new panel`,
    ]);
    await chat(app!, 'agent-carol', []);
    const worked = await chat(app!, 'agent-bob', [
      `helpdesk assign #${number} @agent-carol`,
      `helpdesk resolve #${number} replaced the panel`,
      `helpdesk reopen #${number}`,
      `helpdesk show #${number}`,
    ]);
    const [show] = blocksWith(worked, 'Timeline:');
    expect(show).toBeDefined();
    const timeline = show!
      .split('Timeline:\n')[1]!
      .split('\n')
      .filter((line) => line.startsWith('│ '))
      .map((line) => line.replace(/^│ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}/, ''));
    expect(timeline).toEqual([
      'alice filed it',
      'agent-bob claimed it',
      'agent-bob changed the priority P3 → P2',
      'agent-bob replied: Which model is it?',
      'agent-bob noted: needs a new panel (internal)',
      'agent-bob assigned it to agent-carol',
      'agent-bob resolved it: replaced the panel',
      'agent-bob reopened it',
    ]);
    expect(show).not.toContain('{"');
    // The description is on the card, not repeated by the timeline.
    expect(show!.split('my laptop screen is cracked')).toHaveLength(2);
    // The reopened card (and the card in `show`) no longer shows the old resolution.
    const reopened = worked.split(`(${card} updated)`).at(-1) ?? '';
    expect(reopened).toMatch(/^ 🤖 ┌ #\d+ · [^\n]*\n│ Status: 🔧 Open/);
    expect(reopened.split('\n\n')[0]).not.toContain('Resolution:');
    expect(show).not.toContain('Resolution:');
  });

  it('shows a ticket filed after a suggested article with that article once', async () => {
    // "I still need help" on the answer card files the question with the suggestion it got.
    const asked = await chat(app!, 'ivan', ['how do I set up VPN on my Mac?', '/press 2']);
    expect(asked).toMatch(/\[1\] That fixed it {2}\[2\] I still need help/);
    const number = /Filed ticket #(\d+) for you/.exec(asked)?.[1];
    expect(number, asked).toBeDefined();
    const shown = await chat(app!, 'ivan', [`helpdesk show #${number}`]);
    expect(shown.split('Suggested by the helpdesk bot')).toHaveLength(2);
    expect(shown.split('Set up the VPN on a Mac').length).toBeLessThanOrEqual(3);
  });

  it('says "an agent", and lists for a requester only what they can run', async () => {
    const agent = await chat(app!, 'agent-bob', ['helpdesk role @alice agent', 'helpdesk kb drafts']);
    expect(agent).toContain('`role` needs the admin role (you are an agent).');
    expect(agent).toContain('Only admins can do that (you are an agent).');
    const requester = await chat(app!, 'alice', ['helpdesk claim #1', 'helpdesk help']);
    expect(requester).toContain('`claim` needs the agent role (you are a requester).');
    const [help] = blocksWith(requester, 'Commands:');
    const listed = [...help!.matchAll(/^• `([^`]+)`/gm)].map((m) => m[1]);
    expect(listed).toEqual([
      'new <what is wrong>',
      'mine',
      'show #N',
      'reopen #N',
      'close #N',
      'home',
      'kb search <words>',
      'help',
    ]);
  });
});
