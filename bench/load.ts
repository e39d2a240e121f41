/**
 * Shared by the load benches: signed Slack DMs sent at a fixed rate (open loop) to one or more
 * `POST /slack/events`, what the fake Slack received back (the requester's acknowledgement in the
 * DM, the ticket card in the triage channel), RSS of child processes, percentiles, the load average.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { messageEvent } from '../test/slack/builders.ts';
import type { FakeSlack, RecordedCall } from '../test/slack/fake-slack.ts';
import { ids } from '../test/slack/fixtures/index.ts';
import { SIGNING_SECRET, slackSignature } from '../test/slack/support.ts';

export { ids, SIGNING_SECRET };

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** p50 / p95 / p99 / max of unsorted milliseconds, rounded. */
export function spread(values: number[]): { p50: number; p95: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
  };
}

/**
 * Cards posted per second in each quarter of the time from the first card to the last: with a
 * backlog, the first quarters have the most waiting, so equal figures mean the delivery rate does not
 * fall as the backlog grows.
 */
export function ratePerQuarter(at: number[]): number[] {
  if (at.length < 8) return [];
  const first = Math.min(...at);
  const span = Math.max(...at) - first;
  if (span <= 0) return [];
  const counts = [0, 0, 0, 0];
  for (const t of at) counts[Math.min(3, Math.floor(((t - first) / span) * 4))]! += 1;
  return counts.map((n) => Math.round((n / (span / 4 / 1000)) * 10) / 10);
}

/** The 1-minute load average, to read every figure beside (the machine is shared). */
export function load1(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

/** A process's resident set in MB (Linux /proc), 0 once it is gone. */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return Math.round(kb / 1024);
  } catch {
    return 0;
  }
}

/** Samples the RSS of `pids` every 250 ms until stopped; returns each one's peak in MB. */
export function sampleRss(pids: number[]): { stop(): Map<number, number> } {
  const peaks = new Map<number, number>(pids.map((pid) => [pid, rssMb(pid)]));
  const timer = setInterval(() => {
    for (const pid of pids) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, rssMb(pid)));
  }, 250);
  return {
    stop() {
      clearInterval(timer);
      return peaks;
    },
  };
}

export interface SentDm {
  channel: string;
  eventId: string;
  sentAt: number;
  ackMs?: number;
  status?: number;
}

/** Users the fake Slack knows (users.info), DMs spread over them. */
export function addUsers(slack: FakeSlack, count = 50): string[] {
  const users = Array.from({ length: count }, (_, i) => `U0LD${String(i).padStart(4, '0')}`);
  for (const [i, id] of users.entries())
    slack.addUser({ id, name: `employee${i}`, email: `employee${i}@acme.test` });
  return users;
}

const TEXTS = [
  'the printer on floor {n} jams on every page',
  'my laptop will not boot after the update',
  'outlook keeps asking for my password',
  'I need access to the finance shared drive',
  'the vpn disconnects every few minutes',
];

/**
 * Sends `count` signed DMs at `rate`/s (open loop: one every 1000/rate ms, whatever the answers),
 * alternating over `urls`, each in a DM channel of its own (`D0<tag><i>`), and times each answer.
 */
export async function sendDms(
  urls: string[],
  options: { count: number; rate: number; tag: string; users: string[] },
): Promise<SentDm[]> {
  const sent: SentDm[] = [];
  const inFlight: Array<Promise<void>> = [];
  const started = performance.now();
  for (let i = 0; i < options.count; i++) {
    const due = started + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const channel = `D0${options.tag}${String(i).padStart(5, '0')}`;
    const text = (TEXTS[i % TEXTS.length] ?? '').replace('{n}', String((i % 9) + 1));
    const body = messageEvent({
      user: options.users[i % options.users.length] as string,
      channel,
      text: `${text} (${options.tag} ${i})`,
    });
    const raw = JSON.stringify(body);
    const dm: SentDm = { channel, eventId: body.event_id, sentAt: Date.now() };
    sent.push(dm);
    const t0 = performance.now();
    inFlight.push(
      fetch(`${urls[i % urls.length]}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...slackSignature(raw) },
        body: raw,
      }).then(
        async (response) => {
          await response.arrayBuffer();
          dm.ackMs = performance.now() - t0;
          dm.status = response.status;
        },
        () => {
          dm.status = 0;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return sent;
}

const TICKET = /ticket #(\d+)/;
const CARD = /^#(\d+) /;
const posted = (slack: FakeSlack) => slack.callsTo('chat.postMessage').filter((c) => c.response?.ok);

export interface Outcome {
  /** DM → the first post in its DM (the requester's acknowledgement), ms. */
  replyMs: number[];
  /** DM → its ticket's card in the triage channel, ms. */
  cardMs: number[];
  /** When each card was posted (epoch ms). */
  cardAt: number[];
  /** DMs never answered, and tickets never carded. */
  lost: number;
  /** DMs answered more than once, cards posted more than once. */
  duplicated: number;
}

/** Matches what the fake Slack received to the DMs sent: latencies, lost and doubled. */
export function outcome(slack: FakeSlack, sent: SentDm[]): Outcome {
  const byChannel = new Map<string, RecordedCall[]>();
  const cards = new Map<string, RecordedCall[]>();
  for (const call of posted(slack)) {
    const channel = String(call.args.channel);
    if (channel === ids.triage && !call.args.thread_ts) {
      const number = CARD.exec(String(call.args.text ?? ''))?.[1];
      if (number) cards.set(number, [...(cards.get(number) ?? []), call]);
    } else if (channel.startsWith('D0')) byChannel.set(channel, [...(byChannel.get(channel) ?? []), call]);
  }
  const replyMs: number[] = [];
  const cardMs: number[] = [];
  const cardAt: number[] = [];
  let lost = 0;
  let duplicated = 0;
  for (const dm of sent) {
    const replies = byChannel.get(dm.channel) ?? [];
    const first = replies[0];
    if (!first) {
      lost++;
      continue;
    }
    replyMs.push(first.at - dm.sentAt);
    // A ticket's acknowledgement is one post; an answer may come with its "did this fix it?" buttons.
    const filed = replies.filter((call) => TICKET.test(String(call.args.text ?? '')));
    if (filed.length > 1) duplicated++;
    const number = filed[0] ? TICKET.exec(String(filed[0].args.text ?? ''))?.[1] : undefined;
    if (!number) continue;
    const card = cards.get(number) ?? [];
    if (card.length === 0) lost++;
    if (card.length > 1) duplicated++;
    if (card[0]) {
      cardMs.push(card[0].at - dm.sentAt);
      cardAt.push(card[0].at);
    }
  }
  return { replyMs, cardMs, cardAt, lost, duplicated };
}

/** Resolves once every DM has its reply and every ticket its card (or `timeoutMs` passed); false on timeout. */
export async function settle(slack: FakeSlack, sent: SentDm[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (outcome(slack, sent).lost === 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
