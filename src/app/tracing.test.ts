import { createRequire } from 'node:module';
import { context, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.ts';
import { inSpan, traceCarrier, tracingEnabled } from '../core/tracing.ts';
import { loadConfig } from './config.ts';
import { serviceName, startTracing } from './tracing.ts';

describe('tracing settings', () => {
  it('is off without OTEL_EXPORTER_OTLP_ENDPOINT: no provider, spans pass straight through', async () => {
    const tracing = await startTracing(loadConfig({}), 'serve', silentLogger);
    expect(tracing.enabled).toBe(false);
    expect(tracingEnabled()).toBe(false);
    const inside = await inSpan('work', { 'helpdesk.platform': 'slack' }, async () => ({
      active: trace.getSpan(context.active()),
      carrier: traceCarrier(),
    }));
    expect(inside).toEqual({ active: undefined, carrier: undefined });
    // The SDK and the exporter (CommonJS packages) were never loaded.
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    expect(loaded.some((path) => path.includes('@opentelemetry/api'))).toBe(true);
    expect(loaded.filter((path) => /@opentelemetry\/(sdk-|exporter-|resources)/.test(path))).toEqual([]);
  });

  it('reads the endpoint, the service name by role, and headers as the specification writes them', () => {
    const config = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc, x-team = it',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector:4318');
    expect(config.OTEL_EXPORTER_OTLP_HEADERS).toEqual({ authorization: 'Bearer abc', 'x-team': 'it' });
    expect([serviceName(config, 'serve'), serviceName(config, 'worker'), serviceName(config, 'all')]).toEqual(
      ['helpdesk-serve', 'helpdesk-worker', 'helpdesk'],
    );
    expect(serviceName(loadConfig({ OTEL_SERVICE_NAME: 'it-bot' }), 'worker')).toBe('it-bot');
  });

  it('names the variable when a tracing setting is wrong', () => {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'otel:4318' })).toThrow(
      /^Invalid OTEL_EXPORTER_OTLP_ENDPOINT: expected an http\(s\) URL/,
    );
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      /^Invalid OTEL_EXPORTER_OTLP_PROTOCOL: only http\/json is supported/,
    );
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'just-a-token' })).toThrow(
      /^Invalid OTEL_EXPORTER_OTLP_HEADERS: expected key=value pairs/,
    );
  });
});
