import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickOn, messageEvent, slashCommand, submitView } from './builders.ts';
import type { RecordedCall } from './fake-slack.ts';
import { people, type SlackAppHarness, startSlackApp } from './support.ts';

const TRIAGE = 'C0TRIAGE';
const ALICE_DM = 'D0ALICE';

let h: SlackAppHarness;

const posts = (channel: string) =>
  h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && c.response);
const updates = (ts: string) => h.slack.callsTo('chat.update').filter((c) => c.args.ts === ts);
const headerOf = (call: RecordedCall | undefined): string => call?.args.blocks?.[0]?.text?.text ?? '';
const fieldsOf = (call: RecordedCall | undefined): string =>
  (call?.args.blocks ?? [])
    .flatMap((b: { fields?: Array<{ text: string }> }) => b.fields ?? [])
    .map((f: { text: string }) => f.text)
    .join('\n');

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

    const rate = clickOn(csat as RecordedCall, 'csat.rate', {
      user: people.alice.id,
      messageTs: csat?.response?.ts,
      responseUrl: h.slack.responseUrl('csat'),
      valueEndsWith: ':5',
    });
    await h.post({ interactive: rate });
    await h.idle();
    expect(
      h.slack.callsTo('response_url').find((c) => String(c.args.text).includes('Thanks for rating')),
    ).toBeDefined();
    const ticket = await h.app.database.db
      .selectFrom('tickets')
      .select(['status', 'csat'])
      .executeTakeFirstOrThrow();
    expect(ticket).toEqual({ status: 'resolved', csat: 5 });
  });
});
