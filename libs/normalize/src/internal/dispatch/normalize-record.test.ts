import { isNormalizationError, type NormalizedEvent } from '@ciem/events';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { NormalizeContext, NormalizeResult } from '../context.js';
import { normalizeFile, normalizeRecord, normalizeText } from './normalize-record.js';
import type { NormalizerTable, RecordNormalizer } from './record-normalizers.js';

interface Call {
  provider: string;
  record: unknown;
  ctx: NormalizeContext;
}

/** Normalizers that record their calls and return a marker instead of an event. */
function stubNormalizers(calls: Call[]): NormalizerTable {
  const stub =
    (provider: string): RecordNormalizer =>
    (record, ctx) => {
      calls.push({ provider, record, ctx });
      return { provider, raw_ref: ctx.rawRef } as unknown as NormalizedEvent;
    };
  return { aws: stub('aws'), azure: stub('azure'), gcp: stub('gcp') };
}

const CLOUDTRAIL = {
  eventVersion: '1.09',
  eventSource: 'iam.amazonaws.com',
  eventName: 'ListUsers',
};
const GCP = { insertId: 'i1', protoPayload: { methodName: 'storage.objects.get' } };

describe('normalizeRecord', () => {
  it('dispatches by detected provider', () => {
    const calls: Call[] = [];
    const raw = { provider: 'aws' as const, text: '{}', value: CLOUDTRAIL, rawRef: 'f:3' };
    normalizeRecord(
      raw,
      { ingestTime: 1_700_000_000_000 },
      { normalizers: stubNormalizers(calls) },
    );
    expect(calls).toEqual([
      {
        provider: 'aws',
        record: CLOUDTRAIL,
        ctx: { rawRef: 'f:3', ingestTime: 1_700_000_000_000 },
      },
    ]);
  });

  it('rejects record without provider', () => {
    const raw = { provider: undefined, text: '{}', value: {}, rawRef: 'f:1' };
    const result = normalizeRecord(raw, { ingestTime: 0 }, { normalizers: stubNormalizers([]) });
    expect(result).toMatchObject({ reason: 'unsupported-provider', raw_ref: 'f:1' });
  });

  it('lets normalizer bugs propagate', () => {
    const failing: RecordNormalizer = () => {
      throw new TypeError('bug');
    };
    const raw = { provider: 'gcp' as const, text: '{}', value: GCP, rawRef: 'f:1' };
    const normalizers = { aws: failing, azure: failing, gcp: failing };
    expect(() => normalizeRecord(raw, { ingestTime: 0 }, { normalizers })).toThrow(TypeError);
  });
});

describe('normalizeText', () => {
  const ctx = { rawRef: 'ciem.raw.aws.cloudtrail/0/17', ingestTime: 5 };

  it('normalizes one message with envelope', () => {
    const calls: Call[] = [];
    const envelope = { 'detail-type': 'AWS API Call via CloudTrail', detail: CLOUDTRAIL };
    normalizeText(undefined, Buffer.from(JSON.stringify(envelope)), ctx, {
      normalizers: stubNormalizers(calls),
    });
    expect(calls).toEqual([{ provider: 'aws', record: CLOUDTRAIL, ctx }]);
  });

  it('uses topic provider as fallback', () => {
    const calls: Call[] = [];
    normalizeText('azure', '{"foo":1}', ctx, { normalizers: stubNormalizers(calls) });
    expect(calls.map((call) => call.provider)).toEqual(['azure']);
  });

  it('prefers detected provider over topic', () => {
    const calls: Call[] = [];
    normalizeText('azure', JSON.stringify(GCP), ctx, { normalizers: stubNormalizers(calls) });
    expect(calls.map((call) => call.provider)).toEqual(['gcp']);
  });

  it('rejects invalid JSON', () => {
    const result = normalizeText('aws', '{"eventName":', ctx, { normalizers: stubNormalizers([]) });
    expect(result).toMatchObject({ reason: 'invalid-json', provider: 'aws', raw_ref: ctx.rawRef });
    expect(result).not.toHaveProperty('text');
  });

  it('rejects message over size limit', () => {
    const text = JSON.stringify({ ...CLOUDTRAIL, padding: 'x'.repeat(200) });
    const result = normalizeText('aws', text, ctx, {
      normalizers: stubNormalizers([]),
      maxRecordBytes: 100,
    });
    expect(result).toMatchObject({ reason: 'oversized' });
  });

  it('rejects container with several records', () => {
    const text = JSON.stringify({ Records: [CLOUDTRAIL, CLOUDTRAIL] });
    const result = normalizeText('aws', text, ctx, { normalizers: stubNormalizers([]) });
    expect(result).toMatchObject({ reason: 'wrong-envelope' });
  });

  it('rejects digest as not an event', () => {
    const digest = { digestStartTime: '2024-01-01T00:00:00Z', logFiles: [] };
    const result = normalizeText('aws', JSON.stringify(digest), ctx);
    expect(result).toMatchObject({ reason: 'not-an-event' });
    expect(result).not.toHaveProperty('text');
  });
});

describe('normalizeFile', () => {
  it('yields events and read errors in order', async () => {
    const calls: Call[] = [];
    const input = `${JSON.stringify(CLOUDTRAIL)}\nnot json\n${JSON.stringify(GCP)}\n`;
    const results: NormalizeResult[] = [];
    for await (const result of normalizeFile(Readable.from([input]), {
      name: 'in.ndjson',
      ingestTime: 9,
      normalizers: stubNormalizers(calls),
    })) {
      results.push(result);
    }
    expect(results.map((result) => isNormalizationError(result))).toEqual([false, true, false]);
    expect(calls.map((call) => call.ctx)).toEqual([
      { rawRef: 'in.ndjson:1', ingestTime: 9 },
      { rawRef: 'in.ndjson:3', ingestTime: 9 },
    ]);
  });
});
