import { loadConfig } from '@ciem/config';
import { describe, expect, it } from 'vitest';
import { ingestAwsSchema, modeProblems } from './config.js';

function load(env: Record<string, string>) {
  return loadConfig(ingestAwsSchema, { env: { CIEM_AWS_REGION: 'eu-west-1', ...env } }).values;
}

describe('ingest-aws config', () => {
  it('requires a queue in sqs mode', () => {
    expect(modeProblems(load({}))).toEqual([
      'CIEM_INGEST_AWS_SQS_QUEUE_URL: expected an SQS queue URL in sqs mode, received nothing',
    ]);
  });

  it('accepts a complete sqs setup', () => {
    const values = load({
      CIEM_INGEST_AWS_SQS_QUEUE_URL: 'http://127.0.0.1:5000/123456789012/trail',
    });
    expect(modeProblems(values)).toEqual([]);
    expect(values.sqsVisibilityTimeoutMs).toBe(300_000);
  });

  it('requires inputs in backfill mode', () => {
    const problems = modeProblems(load({ CIEM_INGEST_AWS_MODE: 'backfill' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('CIEM_INGEST_AWS_BACKFILL_PATHS');
  });

  it('needs nothing more in lookup mode', () => {
    const values = load({ CIEM_INGEST_AWS_MODE: 'lookup' });
    expect(modeProblems(values)).toEqual([]);
    expect(values.lookupRegions).toBeUndefined();
  });

  it('rejects fractional visibility seconds', () => {
    const problems = modeProblems(
      load({
        CIEM_INGEST_AWS_MODE: 'lookup',
        CIEM_INGEST_AWS_SQS_VISIBILITY_TIMEOUT_MS: '2500',
      }),
    );
    expect(problems).toEqual([
      'CIEM_INGEST_AWS_SQS_VISIBILITY_TIMEOUT_MS: expected whole seconds (a multiple of 1000), received 2500',
    ]);
  });

  it('reads the late-delivery window of S3 backfills, 2 days unless set', () => {
    expect(load({}).backfillLateDeliveryDays).toBe(2);
    expect(
      load({ CIEM_INGEST_AWS_BACKFILL_LATE_DELIVERY_DAYS: '30' }).backfillLateDeliveryDays,
    ).toBe(30);
    expect(() => load({ CIEM_INGEST_AWS_BACKFILL_LATE_DELIVERY_DAYS: '-1' })).toThrow(
      'CIEM_INGEST_AWS_BACKFILL_LATE_DELIVERY_DAYS: expected a whole number of days from 0 to 366',
    );
  });

  it('reads the region from AWS_REGION', () => {
    const values = loadConfig(ingestAwsSchema, { env: { AWS_REGION: 'ap-south-1' } }).values;
    expect(values.region).toBe('ap-south-1');
  });
});
