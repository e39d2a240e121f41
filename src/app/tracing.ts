/**
 * OpenTelemetry tracing, on only when OTEL_EXPORTER_OTLP_ENDPOINT is set. The SDK is imported
 * lazily from `tracing-sdk.ts`, so a process without it loads nothing but the (no-op) API.
 */
import type { Logger } from '../core/logger.ts';
import type { Config } from './config.ts';
import { maskUrl } from './config-report.ts';

/** Which process this is; names the service when OTEL_SERVICE_NAME does not. */
export type ProcessRole = 'serve' | 'worker' | 'all';

export type { Tracing } from './tracing-sdk.ts';

import type { Tracing } from './tracing-sdk.ts';

const OFF: Tracing = { enabled: false, flush: async () => {} };

export function serviceName(config: Pick<Config, 'OTEL_SERVICE_NAME'>, role: ProcessRole): string {
  return config.OTEL_SERVICE_NAME ?? (role === 'all' ? 'helpdesk' : `helpdesk-${role}`);
}

let started: Promise<Tracing> | undefined;

/**
 * Starts the tracer provider once per process (a second app in the same process shares it) and
 * exports spans to `${OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces` as OTLP/HTTP JSON.
 */
export function startTracing(
  config: Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_HEADERS' | 'OTEL_SERVICE_NAME'>,
  role: ProcessRole,
  log: Logger,
): Promise<Tracing> {
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return Promise.resolve(OFF);
  started ??= import('./tracing-sdk.ts').then(({ startSdk }) => {
    const name = serviceName(config, role);
    const tracing = startSdk({
      endpoint,
      headers: config.OTEL_EXPORTER_OTLP_HEADERS,
      serviceName: name,
      log,
    });
    log.info({ endpoint: maskUrl(endpoint), service: name }, 'tracing: spans go to the OTLP endpoint');
    return tracing;
  });
  return started;
}
