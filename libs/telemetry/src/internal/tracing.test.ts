import { SpanKind, context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { captureLines } from './test-log-capture.js';
import { extractTraceContext, injectTraceHeaders } from './trace-headers.js';
import type { Tracing } from './tracing.js';
import { startTracing } from './tracing.js';

let tracing: Tracing | undefined;

afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

describe('trace headers', () => {
  it('carry the parent across messages', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing({ service: 'ingest-aws', exporter });
    const headers: Record<string, string | Buffer> = { source: 's3' };

    tracing.tracer.startActiveSpan('produce', { kind: SpanKind.PRODUCER }, (span) => {
      injectTraceHeaders(headers);
      span.end();
    });
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    // A consumer receives the header values as Buffers, as kafkajs delivers them.
    const received = { traceparent: Buffer.from(String(headers.traceparent)) };
    const parent = extractTraceContext(received);
    const child = tracing.tracer.startSpan('consume', { kind: SpanKind.CONSUMER }, parent);
    child.end();

    const [produced, consumed] = exporter.getFinishedSpans();
    expect(produced?.name).toBe('produce');
    expect(consumed?.name).toBe('consume');
    expect(consumed?.spanContext().traceId).toBe(produced?.spanContext().traceId);
    expect(consumed?.parentSpanContext?.spanId).toBe(produced?.spanContext().spanId);
    expect(consumed?.resource.attributes['service.name']).toBe('ingest-aws');
  });

  it('extract ignores missing headers', () => {
    const parent = extractTraceContext({ source: 'file' });
    expect(trace.getSpanContext(parent)).toBeUndefined();
  });

  it('inject writes nothing without span', () => {
    const headers: Record<string, string> = {};
    injectTraceHeaders(headers);
    expect(headers).toEqual({});
  });
});

describe('startTracing', () => {
  it('adds trace_id to logs in spans', () => {
    const { stream, lines } = captureLines();
    const logger = createLogger({ service: 'normalizer', destination: stream });
    tracing = startTracing({ service: 'normalizer', exporter: new InMemorySpanExporter() });

    let traceId = '';
    tracing.tracer.startActiveSpan('batch', (span) => {
      traceId = span.spanContext().traceId;
      logger.info('batch started');
      span.end();
    });
    logger.info('outside any span');

    expect(lines[0]?.trace_id).toBe(traceId);
    expect(lines[0]?.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(lines[1]?.trace_id).toBeUndefined();
  });

  it('is a no-op without exporter', async () => {
    const off = startTracing({ service: 'normalizer' });
    expect(off.enabled).toBe(false);
    const span = off.tracer.startSpan('ignored');
    expect(span.isRecording()).toBe(false);
    span.end();
    await expect(off.shutdown()).resolves.toBeUndefined();
  });

  it('shuts down cleanly and only once', async () => {
    const exporter = new InMemorySpanExporter();
    const started = startTracing({ service: 'normalizer', exporter });
    started.tracer.startSpan('last').end();
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['last']);
    await expect(started.shutdown()).resolves.toBeUndefined();
    await expect(started.shutdown()).resolves.toBeUndefined();
    // After shutdown the global API is back to its no-op state.
    expect(trace.getSpan(context.active())).toBeUndefined();
  });

  it('bounds shutdown with unreachable collector', async () => {
    const { stream, lines } = captureLines();
    const logger = createLogger({ service: 'normalizer', destination: stream });
    // Port 9 (discard) on loopback: nothing listens there, so the export fails fast.
    const failing = startTracing({
      service: 'normalizer',
      otlpEndpoint: 'http://127.0.0.1:9',
      logger,
      shutdownTimeoutMs: 300,
    });
    expect(failing.enabled).toBe(true);
    failing.tracer.startSpan('lost').end();
    const started = performance.now();
    await expect(failing.shutdown()).resolves.toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(lines.some((line) => line.level === 'warn')).toBe(true);
  });
});
