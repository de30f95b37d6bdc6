import { gzipSync } from 'node:zlib';
import { readRecords } from '@ciem/normalize';
import { resolveInputs } from '@ciem/pipeline';

/** A record of a sample file: its original text and parsed value. */
export interface SampleRecord {
  text: string;
  value: unknown;
}

/** The records of some sample files, and the texts the reader could not frame as events. */
export interface SampleRecords {
  records: SampleRecord[];
  /** Texts of records the reader rejected (such as a CloudTrail digest), with their values when JSON. */
  unread: SampleRecord[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads every record of the files under `folders`, in file order, as the normalizer library frames them. */
export async function readSampleRecords(folders: readonly string[]): Promise<SampleRecords> {
  const result: SampleRecords = { records: [], unread: [] };
  for (const file of await resolveInputs(folders)) {
    for await (const item of readRecords(file, { name: file })) {
      if ('kind' in item) {
        if (item.text !== null) {
          result.unread.push({ text: item.text, value: parseOrUndefined(item.text) });
        }
        continue;
      }
      result.records.push({ text: item.text, value: item.value });
    }
  }
  return result;
}

/** Returns true for a CloudTrail digest file, which names the log files it covers and has no `Records`. */
export function isDigestFile(value: unknown): boolean {
  return isObject(value) && 'digestStartTime' in value && 'logFiles' in value;
}

/** Wraps record texts in a container object `{"<field>":[...]}`, keeping each text's bytes. */
export function containerOf(field: string, texts: readonly string[]): string {
  return `{"${field}":[${texts.join(',')}]}`;
}

/** Splits `items` into chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    result.push(items.slice(start, start + size));
  }
  return result;
}

/** One object of a trail bucket. */
export interface TrailObject {
  key: string;
  body: Buffer;
  /** Whether the object is a digest file, which the ingest skips. */
  digest: boolean;
}

const keyPart = (value: unknown, fallback: string): string =>
  typeof value === 'string' && /^[A-Za-z0-9-]+$/.test(value) ? value : fallback;

/**
 * Lays CloudTrail records out as a trail delivers them to S3: gzip-compressed
 * `{"Records":[...]}` files of at most `perFile` records under
 * `AWSLogs/<account>/CloudTrail/<region>/`, grouped by the records' account and region, and
 * digest files at the key they name (`digestS3Object`). `unread` texts other than digests,
 * which no trail writes, become objects of their own beside the log files.
 */
export function trailObjects(samples: SampleRecords, perFile: number): TrailObject[] {
  const groups = new Map<string, string[]>();
  for (const record of samples.records) {
    const value = isObject(record.value) ? record.value : {};
    const identity = isObject(value.userIdentity) ? value.userIdentity : {};
    const account = keyPart(value.recipientAccountId ?? identity.accountId, '000000000000');
    const region = keyPart(value.awsRegion, 'us-east-1');
    const group = `${account}/${region}`;
    groups.set(group, [...(groups.get(group) ?? []), record.text]);
  }
  const objects: TrailObject[] = [];
  let serial = 0;
  const name = (account: string, region: string, kind: string): string => {
    serial += 1;
    const id = String(serial).padStart(4, '0');
    return `AWSLogs/${account}/${kind}/${region}/2025/03/04/${account}_${kind}_${region}_20250304T1200Z_sample${id}.json.gz`;
  };
  for (const [group, texts] of groups) {
    const [account, region] = group.split('/') as [string, string];
    for (const chunk of chunks(texts, perFile)) {
      objects.push({
        key: name(account, region, 'CloudTrail'),
        body: gzipSync(containerOf('Records', chunk)),
        digest: false,
      });
    }
  }
  for (const unread of samples.unread) {
    const digest = isDigestFile(unread.value);
    const value = isObject(unread.value) ? unread.value : {};
    // A digest names its own key; it is stored there, beside the log files it covers.
    const key =
      digest && typeof value.digestS3Object === 'string'
        ? value.digestS3Object
        : name(keyPart(value.awsAccountId, '000000000000'), 'us-east-1', 'CloudTrail');
    objects.push({ key, body: gzipSync(unread.text), digest });
  }
  return objects;
}

/** Returns an S3 event notification of created objects, keys URL-encoded as S3 writes them. */
export function s3CreatedNotification(bucket: string, keys: readonly string[]): string {
  return JSON.stringify({
    Records: keys.map((key) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '2025-03-04T12:05:31.000Z',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:AROAEXAMPLE:regionalDeliverySession' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'cloudtrail-logs',
        bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
        object: { key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+') },
      },
    })),
  });
}

/** Returns the test event S3 sends to a queue when its notification configuration is saved. */
export function s3TestEvent(bucket: string): string {
  return JSON.stringify({
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: '2025-03-04T12:00:00.000Z',
    Bucket: bucket,
    RequestId: 'C3D13FE58DE4C810',
    HostId: 'example-host-id',
  });
}
