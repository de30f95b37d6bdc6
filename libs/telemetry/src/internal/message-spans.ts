import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Attributes, Context, Link, Span, Tracer } from '@opentelemetry/api';
import type { MessageHeaders } from './trace-headers.js';
import { extractTraceContext, injectTraceHeaders } from './trace-headers.js';

/** Instrumentation scope of the spans made here, from the provider `startTracing` registers. */
const TRACER_NAME = '@ciem/telemetry';

function tracerOf(tracer: Tracer | undefined): Tracer {
  return tracer ?? trace.getTracer(TRACER_NAME);
}

/**
 * Records the creation of one outgoing message: a PRODUCER span `name` under `parent` (the
 * active context by default), ended at once, whose W3C context is written into `headers`.
 * The next stage's consumer span becomes its child. With tracing off nothing is written.
 * Returns `headers`.
 */
export function injectProducerSpan<H extends Record<string, string | Buffer>>(
  headers: H,
  name: string,
  attributes: Attributes = {},
  parent: Context = context.active(),
  tracer?: Tracer,
): H {
  const span = tracerOf(tracer).startSpan(name, { kind: SpanKind.PRODUCER, attributes }, parent);
  injectTraceHeaders(headers, trace.setSpan(parent, span));
  span.end();
  return headers;
}

/** A span of the work on one received message, and the context to run that work in. */
export interface MessageSpan {
  span: Span;
  context: Context;
}

/**
 * Starts a CONSUMER span `name` for one received message, child of the trace context its
 * headers carry (a new trace when they carry none). The caller ends the span.
 */
export function startMessageSpan(
  name: string,
  headers: MessageHeaders,
  attributes: Attributes = {},
  tracer?: Tracer,
): MessageSpan {
  const parent = extractTraceContext(headers);
  const span = tracerOf(tracer).startSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

// Trace contexts of rows and events in flight, so that a later batch write (a ClickHouse
// INSERT of rows from many messages) can link to the span of each message.
const boundContexts = new WeakMap<object, Context>();

/** Remembers `traceContext` as the context of the work that made `carrier`, such as a row. */
export function bindTraceContext(carrier: object, traceContext: Context): void {
  boundContexts.set(carrier, traceContext);
}

/** Returns the context `bindTraceContext` stored for `carrier`, if any. */
export function traceContextOf(carrier: object): Context | undefined {
  return boundContexts.get(carrier);
}

/** Marks `span` as failed with `error`, recorded as an exception event. */
export function recordSpanFailure(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** Options of `withBatchSpan`. */
export interface BatchSpanOptions {
  attributes?: Attributes;
  /** Span kind; `CLIENT` by default, as for a database call. */
  kind?: SpanKind;
  tracer?: Tracer;
}

/**
 * Runs `work` in a span `name` that covers a batch made for messages of several traces: its
 * parent is the first of `parents` and it links to the span of every parent, so each
 * message's trace reaches the batch. Without parents the span is a new trace. A throw from
 * `work` marks the span as failed and is thrown again.
 */
export async function withBatchSpan<T>(
  name: string,
  parents: readonly Context[],
  work: () => Promise<T>,
  options: BatchSpanOptions = {},
): Promise<T> {
  const links: Link[] = [];
  for (const parent of parents) {
    const spanContext = trace.getSpanContext(parent);
    if (spanContext !== undefined) links.push({ context: spanContext });
  }
  const parent = parents[0] ?? context.active();
  const span = tracerOf(options.tracer).startSpan(
    name,
    { kind: options.kind ?? SpanKind.CLIENT, attributes: options.attributes ?? {}, links },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (error) {
    recordSpanFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}
