import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/core/db.ts';
import { syncTicketSla } from '../../src/core/sla/sla.service.ts';
import { computeStats, ticketsPerDay } from '../../src/core/stats/stats.service.ts';
import { PRIORITIES, type Priority } from '../../src/core/tickets/ticket.ts';
import { consoleTriage, freshSchema, person, runCommand, type TestDb, testDeps } from './support.ts';

const M = 60_000;
const H = 60 * M;
const D = 24 * H;
const NOW = Date.parse('2026-11-26T12:00:00Z');
const TARGETS: Record<Priority, [number, number]> = {
  P1: [15 * M, 4 * H],
  P2: [H, 8 * H],
  P3: [4 * H, 24 * H],
  P4: [8 * H, 72 * H],
};
const CATEGORIES = ['access', 'network', 'hardware', 'email', 'printing'];
/** Questions people ask, a few per category, so some repeat; each seeded title dresses one up. */
const QUESTIONS: Record<string, string[]> = {
  access: ['How do I reset my password', 'How do I set up MFA on a new phone'],
  network: ['How do I connect to the VPN from home', 'Wi-Fi keeps dropping in room 4'],
  hardware: ['How do I order a second monitor'],
  email: [
    'How do I add a shared mailbox',
    'How do I set an out of office reply',
    'Calendar invites go missing',
  ],
  printing: ['How do I clear the print queue', 'Which printer is on floor 3'],
};
const INTENTS = ['question', 'incident', 'request'] as const;

let testDb: TestDb;
let db: Db;

/** A small deterministic generator, so the seeded set is the same on every run. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

interface Seed {
  id?: number;
  title: string;
  intent: (typeof INTENTS)[number];
  priority: Priority;
  category: string;
  created: number;
  firstResponse: number | null;
  resolved: number | null;
  csat: number | null;
  selfService: boolean;
}

const seeds: Seed[] = [];
const answers: Array<{
  outcome: 'fixed' | 'more-help' | null;
  decided: number;
  category: string;
  title: string;
  ticket?: Seed;
}> = [];

/** One of the category's questions, in a random case and with random punctuation around it. */
function askedTitle(rnd: () => number, category: string): string {
  const pool = QUESTIONS[category] as string[];
  const base = pool[Math.floor(rnd() * pool.length)] as string;
  const cased = rnd() < 0.3 ? base.toLowerCase() : rnd() < 0.5 ? base.toUpperCase() : base;
  return `${rnd() < 0.3 ? '  ' : ''}${cased}${['?', '', '??', ' - please help!', '...'][Math.floor(rnd() * 5)]}`;
}

beforeAll(async () => {
  testDb = await freshSchema('workers_stats');
  db = testDb.db;
  const requester = await person(db, 'Alice', 'requester');
  const rnd = random(42);
  // Titles and intents come from their own generator, so the older figures keep their seeded set.
  const words = random(7);
  for (let i = 0; i < 80; i++) {
    const priority = PRIORITIES[Math.floor(rnd() * 4)] as Priority;
    const created = NOW - Math.floor(rnd() * 10 * D);
    const firstResponse =
      rnd() < 0.85 ? Math.min(NOW - 1, created + Math.floor(rnd() * 2 * TARGETS[priority][0])) : null;
    const resolved =
      firstResponse && rnd() < 0.7
        ? Math.min(NOW - 1, firstResponse + Math.floor(rnd() * 1.5 * TARGETS[priority][1]))
        : null;
    const category = CATEGORIES[Math.floor(rnd() * CATEGORIES.length)] as string;
    seeds.push({
      title: askedTitle(words, category),
      intent: INTENTS[Math.floor(words() * INTENTS.length)] as Seed['intent'],
      priority,
      category,
      created,
      firstResponse,
      resolved,
      csat: resolved && rnd() < 0.6 ? 1 + Math.floor(rnd() * 5) : null,
      selfService: rnd() < 0.3,
    });
  }
  for (let i = 0; i < 25; i++) {
    const category = CATEGORIES[Math.floor(rnd() * CATEGORIES.length)] as string;
    answers.push({
      outcome: rnd() < 0.6 ? 'fixed' : rnd() < 0.5 ? 'more-help' : null,
      decided: NOW - Math.floor(rnd() * 10 * D),
      category,
      title: askedTitle(words, category),
    });
  }
  // "I still need help" files a ticket from the answer: it counts once, as the answer.
  const candidates = seeds.filter((s) => s.intent === 'question' || s.selfService);
  for (const answer of answers.filter((a) => a.outcome === 'more-help')) answer.ticket = candidates.shift();
  const { deps } = testDeps(db, new Date(NOW).toISOString());
  for (const seed of seeds) {
    const status = seed.resolved ? 'resolved' : seed.firstResponse ? 'open' : 'new';
    const ticket = await db
      .insertInto('tickets')
      .values({
        requester_id: requester.id,
        assignee_id: null,
        title: seed.title,
        description: 'seeded',
        category: seed.category,
        priority: seed.priority,
        status,
        intent: seed.intent,
        language: null,
        sentiment: null,
        self_service: seed.selfService,
        source_conversation_id: null,
        source_event_id: null,
        resolution: null,
        csat: seed.csat,
        first_response_at: seed.firstResponse ? new Date(seed.firstResponse) : null,
        first_response_due_at: null,
        resolution_due_at: null,
        resolved_at: seed.resolved ? new Date(seed.resolved) : null,
        closed_at: null,
        created_at: new Date(seed.created),
        updated_at: new Date(seed.created),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    seed.id = ticket.id;
    // The workers' own bookkeeping records whether each target was met.
    await db.transaction().execute((tx) => syncTicketSla(tx, deps, ticket));
  }
  for (const answer of answers) {
    await db
      .insertInto('kb_answers')
      .values({
        conversation_id: null,
        requester_id: requester.id,
        question: `${answer.title} (asked in full, with more words)`,
        answer: 'Try this.',
        triage: JSON.stringify({ category: answer.category, title: answer.title }),
        outcome: answer.outcome,
        ticket_id: answer.ticket?.id ?? null,
        created_at: new Date(answer.decided),
        decided_at: answer.outcome ? new Date(answer.decided) : null,
      })
      .execute();
  }
});
afterAll(async () => testDb?.close());

/**
 * Knowledge gaps by hand: questions the knowledge agent could not answer (tickets triaged as a
 * question or self-service that no answer filed) and answers marked "I still need help", per
 * category, with the most frequent question by title ignoring case and punctuation.
 */
function expectedGaps(from: number, to: number) {
  const within = (t: number | null) => t !== null && t >= from && t < to;
  const filedFromAnswer = new Set(answers.map((a) => a.ticket));
  const asked = [
    ...seeds
      .filter((s) => within(s.created) && (s.intent === 'question' || s.selfService))
      .filter((s) => !filedFromAnswer.has(s))
      .map((s) => ({ category: s.category, question: s.title, at: s.created })),
    ...answers
      .filter((a) => a.outcome === 'more-help' && within(a.decided))
      .map((a) => ({ category: a.category, question: a.title, at: a.decided })),
  ];
  const normalise = (title: string) =>
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  const byCategory = new Map<string, typeof asked>();
  for (const q of asked) byCategory.set(q.category, [...(byCategory.get(q.category) ?? []), q]);
  const gaps = [...byCategory].map(([category, questions]) => {
    const groups = new Map<string, typeof asked>();
    for (const q of questions)
      groups.set(normalise(q.question), [...(groups.get(normalise(q.question)) ?? []), q]);
    const ranked = [...groups.values()]
      .map((group) => {
        const latest = group.reduce((a, b) => (b.at > a.at ? b : a));
        return { count: group.length, latest: latest.at, wording: latest.question.trim() };
      })
      .sort((a, b) => b.count - a.count || b.latest - a.latest);
    const top = ranked[0] as (typeof ranked)[number];
    return { category, count: questions.length, example: top.wording, exampleCount: top.count };
  });
  return gaps.sort((a, b) => b.count - a.count || a.category.localeCompare(b.category)).slice(0, 5);
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

describe('stats', () => {
  it('reports the figures a hand count of the seeded tickets gives', async () => {
    const from = NOW - 7 * D;
    const within = (t: number | null) => t !== null && t >= from && t < NOW;
    const opened = seeds.filter((s) => within(s.created));
    const resolved = seeds.filter((s) => within(s.resolved));
    const report = await computeStats(db, new Date(NOW), 7);

    expect(report.opened).toBe(opened.length);
    expect(report.resolved).toBe(resolved.length);
    expect(report.medianFirstResponseMs).toBe(
      Math.round(
        median(opened.filter((s) => s.firstResponse).map((s) => (s.firstResponse as number) - s.created)) ??
          0,
      ),
    );
    expect(report.medianResolutionMs).toBe(
      Math.round(median(resolved.map((s) => (s.resolved as number) - s.created)) ?? 0),
    );

    for (const p of PRIORITIES) {
      const responded = seeds.filter((s) => s.priority === p && within(s.firstResponse));
      const met = responded.filter((s) => (s.firstResponse as number) - s.created <= TARGETS[p][0]);
      expect(report.compliance[p].firstResponse).toEqual({ met: met.length, total: responded.length });
      const done = resolved.filter((s) => s.priority === p);
      const inTime = done.filter((s) => (s.resolved as number) - s.created <= TARGETS[p][1]);
      expect(report.compliance[p].resolution).toEqual({ met: inTime.length, total: done.length });
    }

    const rated = resolved.filter((s) => s.csat !== null).map((s) => s.csat as number);
    expect(report.csat.count).toBe(rated.length);
    expect(report.csat.average).toBeCloseTo(rated.reduce((a, b) => a + b, 0) / rated.length, 6);

    const fixed = answers.filter((a) => a.outcome === 'fixed' && within(a.decided)).length;
    expect(report.deflection).toEqual({
      fixedByKb: fixed,
      filed: opened.length,
      rate: fixed / (fixed + opened.length),
    });

    const byCategory = new Map<string, number>();
    for (const s of opened) byCategory.set(s.category, (byCategory.get(s.category) ?? 0) + 1);
    const top = [...byCategory].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5);
    expect(report.topCategories).toEqual(top.map(([category, count]) => ({ category, count })));

    expect(report.knowledgeGaps).toEqual(expectedGaps(from, NOW));
    expect(report.knowledgeGaps.length).toBeGreaterThan(0);
    expect(report.knowledgeGaps.some((gap) => gap.exampleCount > 1)).toBe(true);
  });

  it('counts tickets per local day over the last 7 days ending today', async () => {
    const perDay = await ticketsPerDay(db, new Date(NOW), 7, 'UTC');
    const days = Array.from({ length: 7 }, (_, i) =>
      new Date(Date.UTC(2026, 10, 20 + i)).toISOString().slice(0, 10),
    );
    expect(perDay.map((d) => d.day)).toEqual(days);
    for (const { day, counts } of perDay) {
      for (const p of PRIORITIES) {
        const expected = seeds.filter(
          (s) => s.priority === p && new Date(s.created).toISOString().slice(0, 10) === day,
        ).length;
        expect(counts[p], `${day} ${p}`).toBe(expected);
      }
    }
  });

  it('answers `stats 30d` for agents and refuses requesters', async () => {
    const { deps } = testDeps(db, new Date(NOW).toISOString());
    const agent = await person(db, 'Bob', 'agent');
    const requester = await person(db, 'Dan', 'requester');
    const ctx = {
      sender: { platform: 'console' as const, tenant: 'local', userId: 'bob' },
      conversation: consoleTriage,
      conversationId: 1,
      eventId: 'e1',
    };
    const result = await runCommand(deps, agent, 'stats 30d', ctx);
    const text = 'reply' in result ? result.reply.text : '';
    expect(text).toMatch(new RegExp(`Tickets: ${seeds.length} opened`));
    const [top] = expectedGaps(NOW - 30 * D, NOW);
    if (!top) throw new Error('the seeded set has no knowledge gap');
    const asked = top.exampleCount > 1 ? `most asked ×${top.exampleCount}:` : 'e.g.';
    expect(text).toContain(
      `Knowledge gaps (asked, no article helped):\n  ${top.category} ×${top.count} — ${asked} “${top.example.slice(0, 80)}”`,
    );
    const refused = await runCommand(deps, requester, 'stats', ctx);
    expect('reply' in refused && refused.reply.text).toMatch(/needs the agent role/);
  });
});
