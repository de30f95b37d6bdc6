import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawRecord, RecordReadError } from './raw-record.js';
import { readRecords, type ReadRecordsOptions } from './read-records.js';

// Minimal records in each provider's documented shape.
const CLOUDTRAIL = {
  eventVersion: '1.08',
  eventTime: '2024-03-01T10:00:00Z',
  eventSource: 's3.amazonaws.com',
  eventName: 'GetObject',
  eventID: '11111111-2222-3333-4444-555555555555',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice' },
};
const AZURE = {
  time: '2024-03-01T10:00:00Z',
  resourceId: '/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000001/RESOURCEGROUPS/RG',
  operationName: 'MICROSOFT.RESOURCES/DEPLOYMENTS/WRITE',
  category: 'Administrative',
};
const GCP = {
  insertId: 'abc123',
  logName: 'projects/p1/logs/cloudaudit.googleapis.com%2Factivity',
  protoPayload: { methodName: 'v1.compute.instances.insert' },
};

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'read-records-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function writeInput(name: string, content: string | Buffer): Promise<string> {
  const file = path.join(directory, name);
  await writeFile(file, content);
  return file;
}

async function collect(
  input: Parameters<typeof readRecords>[0],
  options?: ReadRecordsOptions,
): Promise<(RawRecord | RecordReadError)[]> {
  const results: (RawRecord | RecordReadError)[] = [];
  for await (const result of readRecords(input, options)) results.push(result);
  return results;
}

function isError(result: RawRecord | RecordReadError): result is RecordReadError {
  return 'kind' in result;
}

describe('readRecords', () => {
  it('reads JSON Lines with line references', async () => {
    const lines = [CLOUDTRAIL, AZURE, GCP].map((record) => JSON.stringify(record));
    const file = await writeInput('mixed.ndjson', `${lines.join('\n')}\n`);
    const results = await collect(file, { name: 'mixed.ndjson' });
    expect(results.map((result) => ('kind' in result ? result.reason : result.provider))).toEqual([
      'aws',
      'azure',
      'gcp',
    ]);
    expect(results.map((result) => ('rawRef' in result ? result.rawRef : ''))).toEqual([
      'mixed.ndjson:1',
      'mixed.ndjson:2',
      'mixed.ndjson:3',
    ]);
    expect(results.map((result) => ('text' in result ? result.text : null))).toEqual(lines);
  });

  it('continues after a broken line', async () => {
    const good = JSON.stringify(CLOUDTRAIL);
    const file = await writeInput('broken.ndjson', `${good}\n{"eventName": \n\n${good}\r\n`);
    const results = await collect(file, { name: 'broken.ndjson' });
    expect(results).toHaveLength(3);
    const broken = results[1] as RecordReadError;
    expect(broken.reason).toBe('invalid-json');
    expect(broken.raw_ref).toBe('broken.ndjson:2');
    expect(broken.text).toBe('{"eventName":');
    expect(broken.message).toContain('broken.ndjson:2');
    expect((results[2] as RawRecord).rawRef).toBe('broken.ndjson:4');
  });

  it('reads broken first line as JSON Lines', async () => {
    const good = JSON.stringify(GCP);
    const file = await writeInput('first-broken.ndjson', `garbage\n${good}\n`);
    const results = await collect(file, { name: 'f' });
    expect(results.map((result) => isError(result))).toEqual([true, false]);
    expect((results[1] as RawRecord).rawRef).toBe('f:2');
  });

  it('reads CloudTrail S3 delivery container', async () => {
    const records = [CLOUDTRAIL, { ...CLOUDTRAIL, eventName: 'PutObject' }];
    const text = JSON.stringify({ Records: records }, null, 2);
    const results = await collect(Readable.from([Buffer.from(text)]), { name: 'log.json' });
    expect(results.map((result) => (result as RawRecord).rawRef)).toEqual([
      'log.json:1#0',
      'log.json:1#1',
    ]);
    expect((results[1] as RawRecord).value).toEqual(records[1]);
    expect((results[1] as RawRecord).text).toBe(
      JSON.stringify(records[1], null, 2).replace(/\n/g, '\n    '),
    );
  });

  it('reads gzip detected by magic bytes', async () => {
    const text = JSON.stringify({ Records: [CLOUDTRAIL, CLOUDTRAIL] });
    const file = await writeInput('no-extension', gzipSync(Buffer.from(text)));
    const results = await collect(file);
    expect(results).toHaveLength(2);
    expect(results.every((result) => !isError(result) && result.provider === 'aws')).toBe(true);
  });

  it('reports corrupt gzip after read records', async () => {
    const lines = `${JSON.stringify(CLOUDTRAIL)}\n`.repeat(2000);
    const compressed = gzipSync(Buffer.from(lines));
    const truncated = compressed.subarray(0, compressed.length - 20);
    const file = await writeInput('truncated.json.gz', truncated);
    const results = await collect(file, { name: 't.gz' });
    const last = results.at(-1) as RecordReadError;
    expect(last.reason).toBe('invalid-json');
    expect(last.message).toContain('gzip');
    expect(results.slice(0, -1).every((result) => !isError(result))).toBe(true);
  });

  it('unwraps LookupEvents CloudTrailEvent strings', async () => {
    const inner = JSON.stringify(CLOUDTRAIL);
    const text = JSON.stringify({
      Events: [{ EventId: CLOUDTRAIL.eventID, EventName: 'GetObject', CloudTrailEvent: inner }],
    });
    const [result] = await collect(Readable.from([text]));
    expect(result).toMatchObject({ provider: 'aws', text: inner, value: CLOUDTRAIL });
  });

  it('unwraps EventBridge CloudTrail detail', async () => {
    const envelope = {
      version: '0',
      id: 'e1',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.s3',
      detail: CLOUDTRAIL,
    };
    const [result] = await collect(Readable.from([JSON.stringify(envelope)]));
    expect(result).toMatchObject({ provider: 'aws', value: CLOUDTRAIL });
  });

  it('rejects other EventBridge events', async () => {
    const envelope = {
      'detail-type': 'EC2 Instance State-change Notification',
      source: 'aws.ec2',
      detail: { state: 'running' },
    };
    const [result] = await collect(Readable.from([JSON.stringify(envelope)]));
    expect(result).toMatchObject({ reason: 'not-an-event', field: 'detail-type' });
  });

  it('decodes Pub/Sub push message data', async () => {
    const entry = JSON.stringify(GCP);
    const push = {
      message: { data: Buffer.from(entry).toString('base64'), messageId: '42' },
      subscription: 'projects/p1/subscriptions/audit',
    };
    const pulled = { data: Buffer.from(entry).toString('base64'), messageId: '43' };
    const input = `${JSON.stringify(push)}\n${JSON.stringify(pulled)}\n`;
    const results = await collect(Readable.from([input]));
    expect(results).toHaveLength(2);
    for (const result of results) expect(result).toMatchObject({ provider: 'gcp', text: entry });
  });

  it('rejects Pub/Sub data that is not JSON', async () => {
    const push = { message: { data: Buffer.from('hello').toString('base64'), messageId: '1' } };
    const [result] = await collect(Readable.from([JSON.stringify(push)]));
    expect(result).toMatchObject({ reason: 'wrong-envelope', field: 'message.data' });
  });

  it('expands Event Hubs bodies per line', async () => {
    const body = JSON.stringify({ records: [AZURE, AZURE, AZURE] });
    const results = await collect(Readable.from([`${body}\n${body}\n`]), { name: 'hub' });
    expect(results.map((result) => (result as RawRecord).rawRef)).toEqual([
      'hub:1#0',
      'hub:1#1',
      'hub:1#2',
      'hub:2#0',
      'hub:2#1',
      'hub:2#2',
    ]);
    expect((results[4] as RawRecord).text).toBe(JSON.stringify(AZURE));
  });

  it('reads gcloud JSON array output', async () => {
    const text = JSON.stringify([GCP, GCP], null, 2);
    const results = await collect(Readable.from([text]), { name: 'gcloud' });
    expect(results.map((result) => (result as RawRecord).rawRef)).toEqual([
      'gcloud:1#0',
      'gcloud:1#1',
    ]);
  });

  it('reads entries.list and REST value containers', async () => {
    const entries = JSON.stringify({ entries: [GCP], nextPageToken: 'x' });
    const rest = JSON.stringify({ value: [AZURE], nextLink: 'https://example.com/next' });
    const results = await collect(Readable.from([`${entries}\n${rest}\n`]));
    expect(results.map((result) => (result as RawRecord).provider)).toEqual(['gcp', 'azure']);
  });

  it('reads one pretty-printed record', async () => {
    const text = `\uFEFF\n${JSON.stringify(CLOUDTRAIL, null, 4)}\n`;
    const results = await collect(Readable.from([Buffer.from(text)]), { name: 'one.json' });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ rawRef: 'one.json:2', value: CLOUDTRAIL });
  });

  it('reports CloudTrail digest as not an event', async () => {
    const digest = {
      awsAccountId: '111122223333',
      digestStartTime: '2024-03-01T00:00:00Z',
      digestEndTime: '2024-03-01T01:00:00Z',
      logFiles: [],
    };
    const results = await collect(Readable.from([JSON.stringify(digest, null, 2)]));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ reason: 'not-an-event', provider: 'aws' });
  });

  it('reports oversized line without keeping it', async () => {
    const big = JSON.stringify({ ...CLOUDTRAIL, padding: 'z'.repeat(5000) });
    const small = JSON.stringify(CLOUDTRAIL);
    const chunks = [`${small}\n`, big.slice(0, 1000), big.slice(1000), `\n${small}\n`];
    const results = await collect(Readable.from(chunks.map((chunk) => Buffer.from(chunk))), {
      name: 'o',
      maxRecordBytes: 2048,
    });
    expect(results.map((result) => (isError(result) ? result.reason : 'record'))).toEqual([
      'record',
      'oversized',
      'record',
    ]);
    expect(results[1]).toMatchObject({ raw_ref: 'o:2', text: null });
    expect((results[2] as RawRecord).rawRef).toBe('o:3');
  });

  it('keeps Logstash copy keys', async () => {
    const copy = { '@timestamp': '2024-03-01T10:00:01Z', '@version': '1', ...CLOUDTRAIL };
    const [result] = await collect(Readable.from([JSON.stringify(copy)]));
    expect(result).toMatchObject({ provider: 'aws', value: copy });
  });

  it('gives undetected records the provider hint', async () => {
    const [result] = await collect(Readable.from(['{"methodName":"v1.compute.a"}']), {
      provider: 'gcp',
    });
    expect(result).toMatchObject({ provider: 'gcp' });
  });

  it('returns nothing for an empty input', async () => {
    expect(await collect(Readable.from([Buffer.from('\n  \n')]))).toEqual([]);
  });
});
