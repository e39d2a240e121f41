/**
 * The dashboard (deploy/grafana/helpdesk.json), the alert rules (deploy/prometheus/alerts.yml) and the
 * worker autoscaler use only metrics the app exports: every name in their queries is in the /metrics
 * of a real serve and a real worker (a histogram's name with _bucket, _sum or _count).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type App, buildApp } from '../../src/app/runtime.ts';
import { dropSchema, testConfig } from '../support/db.ts';

/** Metric names in a PromQL expression: identifiers of the app's and the Node runtime's families. */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b((?:helpdesk|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1]!);
}

/** Every series name a /metrics exposition can carry, from its `# TYPE` lines. */
function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram' || type === 'summary')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

const dashboard = JSON.parse(readFileSync('deploy/grafana/helpdesk.json', 'utf8'));
const dashboardExprs: string[] = dashboard.panels.flatMap((panel: { targets?: Array<{ expr: string }> }) =>
  (panel.targets ?? []).map((target) => target.expr),
);
const alerts = parse(readFileSync('deploy/prometheus/alerts.yml', 'utf8'));
const alertExprs: string[] = alerts.groups.flatMap((group: { rules: Array<{ expr: string }> }) =>
  group.rules.map((rule) => rule.expr),
);
const autoscalers = readFileSync('deploy/kubernetes/base/autoscalers.yaml', 'utf8');
const hpaNames = [...autoscalers.matchAll(/^\s+name: (helpdesk_[a-z_]+)$/gm)].map((m) => m[1]!);

describe('metric names in the dashboard, the alerts and the autoscaler', () => {
  let app: App;
  let exported: Set<string>;

  beforeAll(async () => {
    // serve and worker in one process: the same registry carries both roles' metrics, as `start` does.
    app = await buildApp(testConfig(), {
      http: true,
      worker: true,
      migrate: true,
      platforms: false,
      healthPort: 0,
    });
    const serve = await app.http!.inject({ method: 'GET', url: '/metrics' });
    const worker = await fetch(`${app.healthAddress}/metrics`);
    exported = new Set([...exportedNames(serve.body), ...exportedNames(await worker.text())]);
  });

  afterAll(async () => {
    await app?.close();
    if (app) await dropSchema(app.config.DATABASE_SCHEMA);
  });

  it('finds queries to check in each file', () => {
    expect(dashboardExprs.length).toBeGreaterThan(15);
    expect(alertExprs.length).toBeGreaterThan(5);
    expect(hpaNames).toEqual(['helpdesk_queue_jobs']);
  });

  it.each([
    ['deploy/grafana/helpdesk.json', () => dashboardExprs],
    ['deploy/prometheus/alerts.yml', () => alertExprs],
    ['deploy/kubernetes/base/autoscalers.yaml', () => hpaNames],
  ])('%s names only exported metrics', (_file, exprs) => {
    const used = [...new Set(exprs().flatMap(metricNames))];
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((name) => !exported.has(name))).toEqual([]);
  });

  it('would notice a name the app does not export', () => {
    expect(metricNames('rate(helpdesk_dead_letters_total[5m])').filter((n) => !exported.has(n))).toEqual([
      'helpdesk_dead_letters_total',
    ]);
  });

  it('shows each panel of the brief: inbound, acks, queue, backlog, dead letters, deliveries, SLA, models, tickets', () => {
    const all = dashboardExprs.join('\n');
    for (const name of [
      'helpdesk_inbound_events_total',
      'helpdesk_ack_duration_seconds_bucket',
      'helpdesk_event_to_delivery_seconds_bucket',
      'helpdesk_queue_jobs',
      'helpdesk_queue_oldest_waiting_seconds',
      'helpdesk_backlog',
      'helpdesk_backlog_oldest_seconds',
      'helpdesk_deliveries_total',
      'helpdesk_sla_alerts_total',
      'helpdesk_llm_calls_total',
      'helpdesk_llm_call_duration_seconds_bucket',
      'helpdesk_llm_tokens_total',
      'helpdesk_tickets',
    ])
      expect(metricNames(all)).toContain(name);
  });
});
