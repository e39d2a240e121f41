import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/core/commands/registry.ts';
import type { Db } from '../../src/core/db.ts';
import { syncTicketSla } from '../../src/core/sla/sla.service.ts';
import { computeStats } from '../../src/core/stats/stats.service.ts';
import { PRIORITIES, type Priority } from '../../src/core/tickets/ticket.ts';
import { consoleTriage, freshSchema, person, type TestDb, testDeps } from './support.ts';

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
  priority: Priority;
  category: string;
  created: number;
  firstResponse: number | null;
  resolved: number | null;
  csat: number | null;
  selfService: boolean;
}

const seeds: Seed[] = [];
const answers: Array<{ outcome: 'fixed' | 'more-help' | null; decided: number; category: string }> = [];

beforeAll(async () => {
  testDb = await freshSchema('workers_stats');
  db = testDb.db;
  const requester = await person(db, 'Alice', 'requester');
  const rnd = random(42);
  for (let i = 0; i < 80; i++) {
    const priority = PRIORITIES[Math.floor(rnd() * 4)] as Priority;
    const created = NOW - Math.floor(rnd() * 10 * D);
    const firstResponse =
      rnd() < 0.85 ? Math.min(NOW - 1, created + Math.floor(rnd() * 2 * TARGETS[priority][0])) : null;
    const resolved =
      firstResponse && rnd() < 0.7
        ? Math.min(NOW - 1, firstResponse + Math.floor(rnd() * 1.5 * TARGETS[priority][1]))
        : null;
    seeds.push({
      priority,
      category: CATEGORIES[Math.floor(rnd() * CATEGORIES.length)] as string,
      created,
      firstResponse,
      resolved,
      csat: resolved && rnd() < 0.6 ? 1 + Math.floor(rnd() * 5) : null,
      selfService: rnd() < 0.3,
    });
  }
  for (let i = 0; i < 25; i++) {
    answers.push({
      outcome: rnd() < 0.6 ? 'fixed' : rnd() < 0.5 ? 'more-help' : null,
      decided: NOW - Math.floor(rnd() * 10 * D),
      category: CATEGORIES[Math.floor(rnd() * CATEGORIES.length)] as string,
    });
  }
  const { deps } = testDeps(db, new Date(NOW).toISOString());
  for (const [i, seed] of seeds.entries()) {
    const status = seed.resolved ? 'resolved' : seed.firstResponse ? 'open' : 'new';
    const ticket = await db
      .insertInto('tickets')
      .values({
        requester_id: requester.id,
        assignee_id: null,
        title: `Seeded ticket ${i}`,
        description: 'seeded',
        category: seed.category,
        priority: seed.priority,
        status,
        intent: null,
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
    // The workers' own bookkeeping records whether each target was met.
    await db.transaction().execute((tx) => syncTicketSla(tx, deps, ticket));
  }
  for (const answer of answers) {
    await db
      .insertInto('kb_answers')
      .values({
        conversation_id: null,
        requester_id: requester.id,
        question: `How do I fix ${answer.category}?`,
        answer: 'Try this.',
        triage: JSON.stringify({ category: answer.category }),
        outcome: answer.outcome,
        ticket_id: null,
        created_at: new Date(answer.decided),
        decided_at: answer.outcome ? new Date(answer.decided) : null,
      })
      .execute();
  }
});
afterAll(async () => testDb?.close());

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

    const gaps = new Map<string, number>();
    for (const s of opened.filter((s) => s.selfService))
      gaps.set(s.category, (gaps.get(s.category) ?? 0) + 1);
    for (const a of answers.filter((a) => a.outcome === 'more-help' && within(a.decided)))
      gaps.set(a.category, (gaps.get(a.category) ?? 0) + 1);
    const topGaps = [...gaps].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5);
    expect(report.knowledgeGaps.map((g) => [g.category, g.count])).toEqual(topGaps);

    const perDayTotal = report.perDay.reduce(
      (sum, d) => sum + PRIORITIES.reduce((s, p) => s + d.counts[p], 0),
      0,
    );
    expect(perDayTotal).toBe(opened.length);
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
    expect('reply' in result && result.reply.text).toMatch(new RegExp(`Tickets: ${seeds.length} opened`));
    const refused = await runCommand(deps, requester, 'stats', ctx);
    expect('reply' in refused && refused.reply.text).toMatch(/needs the agent role/);
  });
});
