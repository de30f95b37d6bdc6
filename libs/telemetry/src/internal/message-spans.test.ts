import { SpanKind, context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bindTraceContext,
  injectProducerSpan,
  startMessageSpan,
  traceContextOf,
  withBatchSpan,
} from './message-spans.js';
import type { Tracing } from './tracing.js';
import { startTracing } from './tracing.js';

let tracing: Tracing;
let exporter: InMemorySpanExporter;

beforeEach(() => {
  exporter = new InMemorySpanExporter();
  tracing = startTracing({ service: 'normalizer', exporter });
});

afterEach(async () => {
  await tracing.shutdown();
});

function finished(name: string) {
  const span = exporter.getFinishedSpans().find((candidate) => candidate.name === name);
  if (span === undefined) throw new Error(`no finished span ${name}`);
  return span;
}

describe('message spans', () => {
  it('chain producer and consumer spans', () => {
    const headers: Record<string, string> = { source: 'file' };
    injectProducerSpan(headers, 'publish raw record', {
      'messaging.destination.name': 'ciem.raw.aws.cloudtrail',
    });
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    const received = startMessageSpan('normalize record', {
      traceparent: Buffer.from(String(headers.traceparent)),
    });
    received.span.end();

    const producer = finished('publish raw record');
    const consumer = finished('normalize record');
    expect(producer.kind).toBe(SpanKind.PRODUCER);
    expect(consumer.kind).toBe(SpanKind.CONSUMER);
    expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(trace.getSpanContext(received.context)?.spanId).toBe(consumer.spanContext().spanId);
  });

  it('start a new trace without headers', () => {
    startMessageSpan('normalize record', {}).span.end();
    expect(finished('normalize record').parentSpanContext).toBeUndefined();
  });

  it('remember a bound context', () => {
    const row = {};
    const traced = trace.setSpan(context.active(), tracing.tracer.startSpan('work'));
    expect(traceContextOf(row)).toBeUndefined();
    bindTraceContext(row, traced);
    expect(traceContextOf(row)).toBe(traced);
  });
});

describe('withBatchSpan', () => {
  it('parents the first and links all', async () => {
    const first = startMessageSpan('first', {});
    const second = startMessageSpan('second', {});
    const result = await withBatchSpan(
      'INSERT events',
      [first.context, second.context],
      async () => {
        expect(trace.getActiveSpan()).toBeDefined();
        return 7;
      },
      { attributes: { 'db.system': 'clickhouse' } },
    );
    first.span.end();
    second.span.end();

    expect(result).toBe(7);
    const batch = finished('INSERT events');
    expect(batch.kind).toBe(SpanKind.CLIENT);
    expect(batch.parentSpanContext?.spanId).toBe(first.span.spanContext().spanId);
    expect(batch.links.map((link) => link.context.spanId)).toEqual([
      first.span.spanContext().spanId,
      second.span.spanContext().spanId,
    ]);
    expect(batch.attributes['db.system']).toBe('clickhouse');
  });

  it('marks a failed batch', async () => {
    await expect(
      withBatchSpan('INSERT events', [], () => Promise.reject(new Error('server down'))),
    ).rejects.toThrow('server down');
    const batch = finished('INSERT events');
    expect(batch.status.code).toBe(2);
    expect(batch.events[0]?.name).toBe('exception');
  });
});
