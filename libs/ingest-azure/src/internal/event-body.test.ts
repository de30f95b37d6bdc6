import { Buffer } from 'node:buffer';
import { azureRecordKey } from '@ciem/ingest';
import type { RawRecord, RecordReadError } from '@ciem/normalize';
import { describe, expect, it } from 'vitest';
import {
  camelCaseActivityRecord,
  pascalCaseActivityRecord,
  recordsBody,
} from '../testing/activity-records.js';
import { IngestAzureErrorCodes } from './errors.js';
import { eventBodyBytes, eventSource, readEventRecords } from './event-body.js';

const subscriptionA = '3f2b6e0a-1c4d-4e8f-9a0b-1c2d3e4f5a6b';
const subscriptionB = 'A0B1C2D3-E4F5-4061-8273-94A5B6C7D8E9';

async function readAll(body: unknown): Promise<Array<RawRecord | RecordReadError>> {
  const bytes = eventBodyBytes(body, 'eventhub:0/7');
  if (bytes instanceof Error) throw bytes;
  const items: Array<RawRecord | RecordReadError> = [];
  for await (const item of readEventRecords(bytes, 'eventhub:0/7')) items.push(item);
  return items;
}

function records(items: Array<RawRecord | RecordReadError>): RawRecord[] {
  return items.filter((item): item is RawRecord => !('kind' in item));
}

describe('eventBodyBytes', () => {
  it('keeps Buffer bodies unchanged', () => {
    const body = Buffer.from('{"records": [ {"a": 1} ]}');
    expect(eventBodyBytes(body, 's')).toBe(body);
  });

  it('encodes string bodies as UTF-8', () => {
    const bytes = eventBodyBytes('{"records":[{"caller":"zoë"}]}', 's');
    expect(bytes).toEqual(Buffer.from('{"records":[{"caller":"zoë"}]}', 'utf8'));
  });

  it('serializes parsed object bodies', () => {
    const bytes = eventBodyBytes({ records: [{ a: 1 }] }, 's');
    expect(bytes).toEqual(Buffer.from('{"records":[{"a":1}]}'));
  });

  it('accepts Uint8Array bodies', () => {
    const bytes = eventBodyBytes(new Uint8Array([0x7b, 0x7d]), 's');
    expect(bytes).toEqual(Buffer.from('{}'));
  });

  it.each([[42], [true], [null], [undefined]])('rejects body %s as invalid', (body) => {
    const result = eventBodyBytes(body, 'eventhub:1/9');
    expect(result).toBeInstanceOf(Error);
    expect((result as { code?: string }).code).toBe(IngestAzureErrorCodes.bodyInvalid);
    expect((result as Error).message).toContain('eventhub:1/9');
  });
});

describe('readEventRecords', () => {
  it('splits a records body into records', async () => {
    const body = recordsBody([
      camelCaseActivityRecord(1, subscriptionA),
      camelCaseActivityRecord(2, subscriptionA),
      pascalCaseActivityRecord(3, subscriptionB),
    ]);
    const items = await readAll(Buffer.from(body));
    const read = records(items);

    expect(items).toHaveLength(3);
    expect(read.map((record) => record.rawRef)).toEqual([
      'eventhub:0/7:1#0',
      'eventhub:0/7:1#1',
      'eventhub:0/7:1#2',
    ]);
    expect(read.map((record) => record.provider)).toEqual(['azure', 'azure', 'azure']);
  });

  it('keeps each record text byte for byte', async () => {
    const first =
      '{ "time": "2025-03-04T10:00:00Z",  "resourceId": "/subscriptions/x/rg", "operationName": "A/B/WRITE", "category": "Administrative" }';
    const second =
      '{"time":"2025-03-04T10:00:01Z","resourceId":"/subscriptions/y/rg","operationName":"A/B/DELETE","category":"Administrative","properties":"{\\"statusCode\\":\\"OK\\"}"}';
    const body = `{"records": [\n  ${first},\n  ${second}\n]}`;
    const read = records(await readAll(Buffer.from(body)));

    expect(read.map((record) => record.text)).toEqual([first, second]);
  });

  it('keeps properties given as a string', async () => {
    const record = camelCaseActivityRecord(4, subscriptionA, { propertiesAsString: true });
    const read = records(await readAll(recordsBody([record], 2)));

    expect(read).toHaveLength(1);
    expect(typeof (read[0]?.value as { properties: unknown }).properties).toBe('string');
    expect(JSON.parse(read[0]!.text)).toEqual(record);
  });

  it('reads a body holding one record', async () => {
    const record = camelCaseActivityRecord(5, subscriptionA);
    const read = records(await readAll(JSON.stringify(record)));

    expect(read).toHaveLength(1);
    expect(read[0]?.value).toEqual(record);
  });

  it('reads an already parsed body', async () => {
    const body = { records: [pascalCaseActivityRecord(6, subscriptionB)] };
    const read = records(await readAll(body));

    expect(read).toHaveLength(1);
    expect(read[0]?.value).toEqual(body.records[0]);
  });

  it('reports invalid JSON as read error', async () => {
    const items = await readAll('{"records":[{"time":"2025-03-04T10:00:00Z",');
    const errors = items.filter((item): item is RecordReadError => 'kind' in item);

    expect(errors).toHaveLength(1);
    expect(errors[0]?.reason).toBe('invalid-json');
    expect(errors[0]?.raw_ref).toMatch(/^eventhub:0\/7:/);
  });
});

describe('record keys of Event Hubs records', () => {
  it('keys camelCase records by resourceId subscription', async () => {
    const read = records(await readAll(recordsBody([camelCaseActivityRecord(1, subscriptionA)])));
    expect(azureRecordKey(read[0]?.value)).toBe(subscriptionA);
  });

  it('keys PascalCase records lower-cased', async () => {
    const read = records(await readAll(recordsBody([pascalCaseActivityRecord(1, subscriptionB)])));
    expect(azureRecordKey(read[0]?.value)).toBe(subscriptionB.toLowerCase());
  });

  it('keys by ResourceId without SubscriptionId', () => {
    const record = pascalCaseActivityRecord(2, subscriptionB);
    delete record.SubscriptionId;
    expect(azureRecordKey(record)).toBe(subscriptionB.toLowerCase());
  });
});

describe('eventSource', () => {
  it('names partition and sequence number', () => {
    expect(eventSource('3', 1024)).toBe('eventhub:3/1024');
  });
});
