import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics for one process, on their own registry (tests build several apps). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    inboundEvents: new Counter({
      name: 'helpdesk_inbound_events_total',
      help: 'Inbound chat events accepted, by platform and outcome (recorded or duplicate)',
      labelNames: ['platform', 'outcome'],
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
    deliveries: new Counter({
      name: 'helpdesk_deliveries_total',
      help: 'Outbox deliveries, by platform and outcome (sent, failed, superseded, retry)',
      labelNames: ['platform', 'outcome'],
      registers: [registry],
    }),
    tickets: new Gauge({
      name: 'helpdesk_tickets',
      help: 'Tickets by status',
      labelNames: ['status'],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
