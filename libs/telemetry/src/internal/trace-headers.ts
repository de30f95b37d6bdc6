import { ROOT_CONTEXT, context } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** Kafka message headers as kafkajs types them: a value may be a Buffer, a string or a list. */
export type MessageHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

// One propagator instance, used whether or not tracing is on, so headers written by one stage
// are read by the next even when the global API has no propagator registered.
const propagator = new W3CTraceContextPropagator();

const headerSetter: TextMapSetter<Record<string, string | Buffer>> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

const headerGetter: TextMapGetter<MessageHeaders> = {
  keys(carrier) {
    return Object.keys(carrier);
  },
  get(carrier, key) {
    const value = carrier[key] ?? carrier[key.toLowerCase()];
    const first = Array.isArray(value) ? value[0] : value;
    if (first === undefined) return undefined;
    return typeof first === 'string' ? first : first.toString('utf8');
  },
};

/**
 * Writes the W3C `traceparent` and `tracestate` headers of the active span (or of `parent`)
 * into `headers` and returns them. Writes nothing when no span is active or tracing is off.
 */
export function injectTraceHeaders<H extends Record<string, string | Buffer>>(
  headers: H,
  parent: Context = context.active(),
): H {
  propagator.inject(parent, headers, headerSetter);
  return headers;
}

/**
 * Reads the W3C trace context from message headers and returns a Context to pass as a span's
 * parent. Returns `base` unchanged when the headers carry no valid `traceparent`.
 */
export function extractTraceContext(
  headers: MessageHeaders,
  base: Context = ROOT_CONTEXT,
): Context {
  return propagator.extract(base, headers, headerGetter);
}
