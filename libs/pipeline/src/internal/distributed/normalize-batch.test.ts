import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import type { ReceivedBatch } from '@ciem/kafka';
import { traceContextOf } from '@ciem/telemetry';
import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { normalizeBatch } from './normalize-batch.js';

const cloudTrailRecord = Buffer.from(
  JSON.stringify(
    (
      JSON.parse(
        readFileSync(new URL('../fixtures/cloudtrail-delivery.json', import.meta.url), 'utf8'),
      ) as { Records: unknown[] }
    ).Records[0],
  ),
  'utf8',
);

// A W3C trace context as an upstream stage writes it: version, trace id, parent id, flags.
const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const upstreamTraceparent = `00-${traceId}-00f067aa0ba902b7-01`;

function batchWithHeaders(headers: Record<string, Buffer>): ReceivedBatch {
  return {
    topic: 'unit.ciem.raw.aws.cloudtrail',
    partition: 0,
    messages: [{ key: null, value: cloudTrailRecord, headers, offset: '7', timestamp: 1 }],
  };
}

const options = {
  stage: 'normalizer',
  provider: 'aws' as const,
  // No tracing SDK is registered in unit tests, so this tracer makes non-recording spans.
  tracer: trace.getTracer('unit'),
  maxRecordBytes: 1_048_576,
  maxDeadLetterPayloadBytes: 1_024,
};

describe('normalizeBatch trace headers', () => {
  it('writes only ingest_time without a trace', () => {
    const { events } = normalizeBatch(
      batchWithHeaders({ ingest_time: Buffer.from('42') }),
      options,
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.message.headers).toEqual({ ingest_time: '42' });
    expect(traceContextOf(events[0]?.row as object)).toBeUndefined();
  });

  it('continues the trace of its headers', () => {
    const { events } = normalizeBatch(
      batchWithHeaders({
        ingest_time: Buffer.from('42'),
        traceparent: Buffer.from(upstreamTraceparent),
      }),
      options,
    );
    const headers = events[0]?.message.headers as Record<string, string>;
    expect(headers.ingest_time).toBe('42');
    expect(headers.traceparent?.split('-')[1]).toBe(traceId);
    const rowContext = traceContextOf(events[0]?.row as object);
    expect(rowContext).toBeDefined();
    expect(trace.getSpanContext(rowContext!)?.traceId).toBe(traceId);
  });
});
