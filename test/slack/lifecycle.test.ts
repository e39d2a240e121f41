import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoKnowledgeBaseDir } from '../../src/core/kb/kb.demo.ts';
import { importArticles, readArticles } from '../../src/core/kb/kb.import.ts';
import { clickOn, messageEvent, renderedElements, slashCommand, submitView } from './builders.ts';
import type { RecordedCall } from './fake-slack.ts';
import { people, type SlackAppHarness, startSlackApp } from './support.ts';

const TRIAGE = 'C0TRIAGE';
const ALICE_DM = 'D0ALICE';
const BOB_DM = 'D0BOB';

let h: SlackAppHarness;

const posts = (channel: string) =>
  h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && c.response);
const updates = (ts: string | undefined) => h.slack.callsTo('chat.update').filter((c) => c.args.ts === ts);
const headerOf = (call: RecordedCall | undefined): string => call?.args.blocks?.[0]?.text?.text ?? '';
const fieldsOf = (call: RecordedCall | undefined): string =>
  (call?.args.blocks ?? [])
    .flatMap((b: { fields?: Array<{ text: string }> }) => b.fields ?? [])
    .map((f: { text: string }) => f.text)
    .join('\n');

/** The buttons of a CSAT card that carry the requester's choice. */
const marked = (call: RecordedCall | undefined) =>
  renderedElements(call as RecordedCall)
    .filter((e) => (e as { style?: string }).style === 'primary')
    .map((e) => ({ text: (e as { text?: { text: string } }).text?.text, style: 'primary' }));
const rating = () =>
  h.app.database.db
    .selectFrom('tickets')
    .select(['status', 'csat'])
    .where('number', '=', 1)
    .executeTakeFirstOrThrow();

beforeAll(async () => {
  h = await startSlackApp();
  const setup = slashCommand({
    user: people.dana.id,
    channel: TRIAGE,
    text: 'config triage-channel here',
    responseUrl: h.slack.responseUrl('setup'),
  });
  expect((await h.post({ form: setup.form })).status).toBe(200);
  await h.idle();
});
afterAll(async () => {
  await h?.close();
});

describe('Slack: a DM becomes a ticket that the IT team works to resolution', () => {
  let card: RecordedCall;
  let cardTs: string;
  let csatTs: string;

  it('confirms the triage channel to the admin through the slash command’s response_url', () => {
    const answer = h.slack.callsTo('response_url')[0];
    expect(answer?.args.response_type).toBe('ephemeral');
    expect(answer?.args.text).toMatch(/triage/i);
  });

  it('files a DM as a ticket: the card goes to the triage channel, the acknowledgement to the requester', async () => {
    await h.post({
      json: messageEvent({
        user: people.alice.id,
        channel: ALICE_DM,
        text: "My laptop won't connect to the VPN since this morning",
      }),
    });
    await h.idle();
    const triagePosts = posts(TRIAGE);
    expect(triagePosts).toHaveLength(1);
    card = triagePosts[0] as RecordedCall;
    cardTs = card.response?.ts;
    expect(headerOf(card)).toContain('#1');
    expect(fieldsOf(card)).toContain('Alice');
    expect(
      posts(ALICE_DM)
        .map((c) => c.args.text)
        .join('\n'),
    ).toContain('#1');
  });

  it('updates the card in place when an agent claims it', async () => {
    await h.post({
      interactive: clickOn(card, 'ticket.claim', {
        user: people.dana.id,
        messageTs: cardTs,
        responseUrl: h.slack.responseUrl('claim'),
      }),
    });
    await h.idle();
    const update = updates(cardTs).at(-1);
    expect(update?.args.channel).toBe(TRIAGE);
    expect(fieldsOf(update)).toContain('Dana (IT)');
    expect(
      h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === TRIAGE && !c.args.thread_ts),
    ).toHaveLength(1);
  });

  it('relays an agent’s reply in the card thread to the requester, and the requester’s answer back to the thread', async () => {
    await h.post({
      json: messageEvent({
        user: people.dana.id,
        channel: TRIAGE,
        text: 'Can you try reconnecting after a restart?',
        threadTs: cardTs,
      }),
    });
    await h.idle();
    expect(
      posts(ALICE_DM).some((c) => String(c.args.text).includes('Can you try reconnecting after a restart?')),
    ).toBe(true);

    await h.post({
      json: messageEvent({
        user: people.alice.id,
        channel: ALICE_DM,
        text: 'Still failing: certificate expired',
      }),
    });
    await h.idle();
    const relayed = posts(TRIAGE).find((c) => String(c.args.text).includes('certificate expired'));
    expect(relayed?.args.thread_ts).toBe(cardTs);
  });

  it('keeps a `note:` reply in the thread internal', async () => {
    const before = posts(ALICE_DM).length;
    await h.post({
      json: messageEvent({
        user: people.dana.id,
        channel: TRIAGE,
        text: 'note: cert expired on the VPN gateway',
        threadTs: cardTs,
      }),
    });
    await h.idle();
    expect(posts(ALICE_DM)).toHaveLength(before);
  });

  it('resolves through a modal, updates the card and asks the requester for a CSAT rating', async () => {
    const resolve = clickOn(updates(cardTs).at(-1) as RecordedCall, 'ticket.resolve', {
      user: people.dana.id,
      messageTs: cardTs,
      responseUrl: h.slack.responseUrl('resolve'),
    });
    await h.post({ interactive: resolve });
    await h.idle();
    const opened = h.slack.callsTo('views.open').find((c) => c.args.trigger_id === resolve.trigger_id);
    expect(opened?.args.view.callback_id).toBe('ticket.resolve.submit');

    const submitted = await h.post({
      interactive: submitView(people.dana.id, opened?.args.view, { note: 'Renewed the VPN certificate' }),
    });
    expect(submitted.status).toBe(200);
    await h.idle();
    expect(fieldsOf(updates(cardTs).at(-1))).toContain('Resolved');
    const toAlice = posts(ALICE_DM);
    expect(toAlice.some((c) => String(c.args.text).includes('Renewed the VPN certificate'))).toBe(true);
    const csat = toAlice.find((c) =>
      c.args.blocks?.some((b: { block_id?: string }) => b.block_id === 'csat-actions'),
    );
    expect(csat).toBeDefined();

    csatTs = csat?.response?.ts;
  });

  it('replaces the CSAT card in place with the rating, marked on the scale, and says it only once', async () => {
    const csat = posts(ALICE_DM).find((c) => c.response?.ts === csatTs) as RecordedCall;
    await h.post({
      interactive: clickOn(csat, 'csat.rate', {
        user: people.alice.id,
        messageTs: csatTs,
        responseUrl: h.slack.responseUrl('csat'),
        valueEndsWith: ':5',
      }),
    });
    await h.idle();
    const update = updates(csatTs).at(-1);
    expect(update?.args.channel).toBe(ALICE_DM);
    expect(headerOf(update)).toBe('Thanks — you rated #1 5/5');
    const buttons = renderedElements(update as RecordedCall);
    expect(buttons).toHaveLength(5);
    expect(marked(update)).toEqual([{ text: '✓ ★★★★★', style: 'primary' }]);
    // The card is the confirmation: no "thanks" message beside it.
    expect(h.slack.callsTo('response_url').some((c) => /Thanks/.test(String(c.args.text)))).toBe(false);
    expect(await rating()).toEqual({ status: 'resolved', csat: 5 });
  });

  it('lets the requester change the rating from the updated card, which then marks the new one', async () => {
    await h.post({
      interactive: clickOn(updates(csatTs).at(-1) as RecordedCall, 'csat.rate', {
        user: people.alice.id,
        messageTs: csatTs,
        responseUrl: h.slack.responseUrl('csat-again'),
        valueEndsWith: ':3',
      }),
    });
    await h.idle();
    expect(updates(csatTs)).toHaveLength(2);
    const update = updates(csatTs).at(-1);
    expect(headerOf(update)).toBe('Thanks — you rated #1 3/5');
    expect(marked(update)).toEqual([{ text: '✓ ★★★', style: 'primary' }]);
    expect(await rating()).toEqual({ status: 'resolved', csat: 3 });
  });
});

describe('Slack: the answer card shows what the requester decided', () => {
  beforeAll(async () => {
    // Imported directly: the resolved ticket above already left a mined draft, and the first-start
    // demo import only fills an empty knowledge base.
    await importArticles(h.app.deps.db, await readArticles(demoKnowledgeBaseDir() ?? '', 'demo'), new Date());
  });

  /** Bob asks in his DM; the bot answers with a card. */
  async function ask(text: string): Promise<RecordedCall> {
    const before = posts(BOB_DM).length;
    await h.post({ json: messageEvent({ user: people.bob.id, channel: BOB_DM, text }) });
    await h.idle();
    const card = posts(BOB_DM)
      .slice(before)
      .find((c) => c.args.blocks?.some((b: { block_id?: string }) => b.block_id === 'answer-actions'));
    expect(card).toBeDefined();
    return card as RecordedCall;
  }

  const press = (card: RecordedCall, actionId: string) =>
    h.post({
      interactive: clickOn(card, actionId, {
        user: people.bob.id,
        messageTs: card.response?.ts,
        responseUrl: h.slack.responseUrl(actionId),
      }),
    });
  const sectionsOf = (call: RecordedCall | undefined): string =>
    (call?.args.blocks ?? [])
      .filter((b: { type: string }) => b.type === 'section' || b.type === 'context')
      .map((b: { text?: { text: string }; elements?: Array<{ text: string }> }) =>
        [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text)].join('\n'),
      )
      .join('\n');

  it('"That fixed it" turns the card into "✅ Glad that fixed it", keeping the answer and its sources', async () => {
    const card = await ask('how do i add a shared mailbox in outlook');
    const ts = card.response?.ts;
    const before = posts(BOB_DM).length;
    await press(card, 'answer.fixed');
    await h.idle();
    const update = updates(ts).at(-1);
    expect(update?.args.channel).toBe(BOB_DM);
    expect(headerOf(update)).toBe('✅ Glad that fixed it');
    expect(renderedElements(update as RecordedCall)).toEqual([]);
    expect(sectionsOf(update)).toBe(sectionsOf(card));
    expect(sectionsOf(update)).toMatch(/Sources: .*shared mailbox/i);
    // Nothing else is said: the card is the answer to the click.
    expect(posts(BOB_DM)).toHaveLength(before);
    expect(h.slack.callsTo('response_url').some((c) => /Glad/.test(String(c.args.text)))).toBe(false);
  });

  it('"I still need help" turns the card into "🎫 Filed ticket #N for you"; the filing acknowledgement follows', async () => {
    const card = await ask('how do I clear a stuck print queue?');
    const ts = card.response?.ts;
    await press(card, 'answer.more-help');
    await h.idle();
    const ticket = await h.app.database.db
      .selectFrom('tickets')
      .select('number')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const update = updates(ts).at(-1);
    expect(headerOf(update)).toBe(`🎫 Filed ticket #${ticket.number} for you`);
    expect(renderedElements(update as RecordedCall)).toEqual([]);
    expect(sectionsOf(update)).toBe(sectionsOf(card));
    expect(
      posts(BOB_DM).some((c) => String(c.args.text).includes(`I've filed ticket #${ticket.number}`)),
    ).toBe(true);

    // A stale click on the old card files nothing more and does not change the card again.
    await press(card, 'answer.more-help');
    await h.idle();
    expect(updates(ts)).toHaveLength(1);
    expect(
      await h.app.database.db
        .selectFrom('tickets')
        .select('id')
        .where('number', '>', ticket.number)
        .execute(),
    ).toEqual([]);
  });
});
