/**
 * Spans through the vendor-neutral OpenTelemetry API. Until the app installs an SDK (only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set) every helper here calls straight through: no span objects,
 * no context switches. Attributes carry ids, labels and outcomes, never message text or names.
 */
import {
  type Context,
  context,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

export type SpanAttributes = Record<string, string | number | boolean | undefined>;

/** What a traced function may add to its span once it knows more (an id, an outcome). */
export interface TraceSpan {
  set(attributes: SpanAttributes): void;
}

export type SpanKindName = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

const KINDS: Record<SpanKindName, SpanKind> = {
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

let enabled = false;

const NO_SPAN: TraceSpan = { set() {} };

/** Called by the app once its tracer provider is registered; until then spans cost nothing. */
export function enableTracing(): void {
  enabled = true;
}

export function tracingEnabled(): boolean {
  return enabled;
}

const tracer = () => trace.getTracer('helpdesk');

function clean(attributes: SpanAttributes): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) out[key] = value;
  return out;
}

function wrap(span: Span): TraceSpan {
  return { set: (attributes) => void span.setAttributes(clean(attributes)) };
}

export interface SpanOptions {
  kind?: SpanKindName;
  /** Parent other than the active context (a job's remote parent). */
  parent?: Context;
  links?: Link[];
}

/**
 * Runs `fn` inside a span named `name` (a child of the active one) and ends it when `fn` settles;
 * a thrown error marks the span failed (its class only: messages may quote user input).
 */
export async function inSpan<T>(
  name: string,
  attributes: SpanAttributes,
  fn: (span: TraceSpan) => Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  if (!enabled) return fn(NO_SPAN);
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(
    name,
    { kind: KINDS[options.kind ?? 'internal'], attributes: clean(attributes), links: options.links ?? [] },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(wrap(span)));
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.name ?? 'Error' });
    span.setAttribute('error.type', (error as Error)?.name ?? 'Error');
    throw error;
  } finally {
    span.end();
  }
}

/** The active trace as W3C headers (`traceparent`, `tracestate`), or undefined when not tracing. */
export function traceCarrier(): Record<string, string> | undefined {
  if (!enabled || !trace.getSpan(context.active())) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : undefined;
}

/** The context a carrier names, to parent a span on (or link it to). */
export function contextFrom(carrier: Record<string, string> | undefined): Context {
  return carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
}

/** A link to the span a carrier names (for work that starts its own trace). */
export function linkFrom(carrier: Record<string, string> | undefined): Link[] {
  const spanContext = carrier ? trace.getSpanContext(contextFrom(carrier)) : undefined;
  return spanContext ? [{ context: spanContext }] : [];
}
