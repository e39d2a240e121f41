import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets for things a person waits on: milliseconds (an ack) up to minutes (a stuck delivery). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * Prometheus metrics for one process, on their own registry (tests build several apps). The
 * dashboard (deploy/grafana) and the alert rules (deploy/prometheus) use these names; a test checks
 * that every name they use is exported.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    inboundEvents: new Counter({
      name: 'helpdesk_inbound_events_total',
      help: 'Inbound chat events accepted, by platform and outcome (recorded or duplicate)',
      labelNames: ['platform', 'outcome'],
      registers: [registry],
    }),
    ackLatency: new Histogram({
      name: 'helpdesk_ack_duration_seconds',
      help: 'Time from a platform request arriving (/slack/events, /api/messages) to its response (the ack)',
      labelNames: ['route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'helpdesk_jobs_total',
      help: 'Jobs run, by name and outcome',
      labelNames: ['name', 'outcome'],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'helpdesk_job_duration_seconds',
      help: 'Job run time',
      labelNames: ['name'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15],
      registers: [registry],
    }),
    lastJob: gauge(
      'helpdesk_worker_last_job_timestamp_seconds',
      'When this worker last finished a job (Unix time; 0 before its first)',
    ),
    deliveries: new Counter({
      name: 'helpdesk_deliveries_total',
      help: 'Outbox deliveries, by platform and outcome (sent, failed, superseded, undeliverable, waiting, paused, retry)',
      labelNames: ['platform', 'outcome'],
      registers: [registry],
    }),
    outboxToDelivery: new Histogram({
      name: 'helpdesk_outbox_delivery_seconds',
      help: 'Time from an outbox row being written to its delivery, by platform',
      labelNames: ['platform'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    eventToDelivery: new Histogram({
      name: 'helpdesk_event_to_delivery_seconds',
      help: 'Time from an inbound event being recorded to the delivery of a message it caused directly (its reply, the ticket acknowledgement and card), by platform',
      labelNames: ['platform'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    slaAlerts: new Counter({
      name: 'helpdesk_sla_alerts_total',
      help: 'SLA alerts posted, by kind (warning, breach) and target (first_response, resolution)',
      labelNames: ['kind', 'target'],
      registers: [registry],
    }),
    llmCalls: new Counter({
      name: 'helpdesk_llm_calls_total',
      help: 'Model calls by purpose and outcome (ok, cached; error, timeout, invalid fall back to the local models)',
      labelNames: ['purpose', 'outcome'],
      registers: [registry],
    }),
    llmDuration: new Histogram({
      name: 'helpdesk_llm_call_duration_seconds',
      help: 'Model call latency (cache hits excluded), by purpose',
      labelNames: ['purpose'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30],
      registers: [registry],
    }),
    llmTokens: new Counter({
      name: 'helpdesk_llm_tokens_total',
      help: 'Model tokens used, by purpose and kind (prompt, completion)',
      labelNames: ['purpose', 'kind'],
      registers: [registry],
    }),
    ready: gauge(
      'helpdesk_ready',
      'Readiness at the last scrape, as /readyz judges it: 1 ready, 0 not; by check (database, queue, migrations, all)',
      ['check'],
    ),
    tickets: gauge('helpdesk_tickets', 'Tickets by status', ['status']),
    queueJobs: gauge('helpdesk_queue_jobs', 'BullMQ jobs by state (waiting, active, delayed, failed)', [
      'state',
    ]),
    queueOldestWaiting: gauge(
      'helpdesk_queue_oldest_waiting_seconds',
      'Age of the oldest job waiting to run (0 when none waits)',
    ),
    backlog: gauge(
      'helpdesk_backlog',
      'Unfinished inbound events (inbox) and outgoing messages (outbox), and failed ones; counted up to a cap',
      ['table', 'status'],
    ),
    deadLetters: gauge(
      'helpdesk_dead_letters',
      'Dead letters now: failed inbound events and failed or undeliverable deliveries, by kind (inbound, outbound), platform and reason',
      ['kind', 'platform', 'reason'],
    ),
    deadLettered: new Counter({
      name: 'helpdesk_dead_lettered_total',
      help: 'Inbound events and deliveries that became dead letters in this process, by kind, platform and reason',
      labelNames: ['kind', 'platform', 'reason'],
      registers: [registry],
    }),
    pausedWorkspaces: gauge(
      'helpdesk_delivery_paused_workspaces',
      'Workspaces whose deliveries wait because the platform refuses the token, by platform',
      ['platform'],
    ),
    backlogOldest: gauge(
      'helpdesk_backlog_oldest_seconds',
      'Age of the oldest pending inbound event (inbox) or outgoing message (outbox); 0 when none',
      ['table'],
    ),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** What the agents report of one model call (the row written to `llm_calls`, without its text). */
export interface ObservedLlmCall {
  purpose: string;
  outcome: string;
  latencyMs: number;
  promptTokens?: number | null | undefined;
  completionTokens?: number | null | undefined;
}

/** Counts one model call: outcome, latency (not for cache hits) and tokens. */
export function observeLlmCall(metrics: Metrics, call: ObservedLlmCall): void {
  metrics.llmCalls.inc({ purpose: call.purpose, outcome: call.outcome });
  if (call.outcome === 'cached') return;
  metrics.llmDuration.observe({ purpose: call.purpose }, call.latencyMs / 1000);
  if (call.promptTokens) metrics.llmTokens.inc({ purpose: call.purpose, kind: 'prompt' }, call.promptTokens);
  if (call.completionTokens)
    metrics.llmTokens.inc({ purpose: call.purpose, kind: 'completion' }, call.completionTokens);
}
