/** The OpenTelemetry SDK behind `tracing.ts`: imported only when tracing is configured. */
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Logger } from '../core/logger.ts';
import { enableTracing } from '../core/tracing.ts';
import { packageVersion } from './cli-setup.ts';

/** Tracing as a process sees it (see `tracing.ts`, which loads this file only when it is on). */
export interface Tracing {
  enabled: boolean;
  /** Sends the spans still buffered (before the process exits). */
  flush(): Promise<void>;
}

export interface SdkOptions {
  /** OTLP/HTTP base URL; traces go to `<endpoint>/v1/traces`. */
  endpoint: string;
  headers: Record<string, string> | undefined;
  serviceName: string;
  log: Logger;
}

/** Registers a tracer provider (W3C trace context, async-local context) with a batching OTLP exporter. */
export function startSdk(options: SdkOptions): Tracing {
  // The SDK's own complaints (an unreachable collector) go to our log, as warnings at most.
  diag.setLogger(
    {
      error: (message) => options.log.warn({ component: 'otel' }, message),
      warn: (message) => options.log.warn({ component: 'otel' }, message),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    DiagLogLevel.WARN,
  );
  const exporter = new OTLPTraceExporter({
    url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces`,
    ...(options.headers ? { headers: options.headers } : {}),
  });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': options.serviceName,
      'service.version': packageVersion(),
    }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register();
  enableTracing();
  return {
    enabled: true,
    flush: () => provider.forceFlush(),
  };
}
