import { InputError, describeValue } from '@ciem/errors';
import { IngestAwsErrorCodes } from './errors.js';

/** An S3 object named by a notification. `key` is decoded: the object's real key. */
export interface S3ObjectRef {
  bucket: string;
  key: string;
}

/**
 * The content of an SQS message body: the objects to read (possibly none, for S3 test
 * events, removals and SNS subscription confirmations) and the body's format.
 */
export interface ParsedNotification {
  objects: S3ObjectRef[];
  format: 's3-event' | 'cloudtrail-sns' | 's3-test-event' | 'sns-control';
  /** True when the body was an SNS envelope (`Type: Notification`) around the payload. */
  snsWrapped: boolean;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(reason: string, body: string): InputError {
  return new InputError(
    IngestAwsErrorCodes.invalidNotification,
    `SQS message body is not an S3 event notification, an SNS notification or a CloudTrail notification: ${reason}; received ${describeValue(body)}. Point the queue at the trail bucket's notifications or the trail's SNS topic.`,
  );
}

/**
 * Decodes an object key from an S3 event notification. S3 writes the key URL-encoded there
 * (S3 User Guide, "Event message structure", field `s3.object.key`) in form encoding, where a
 * space is `+` and a literal `+` is `%2B`, so `+` becomes a space before percent-decoding.
 */
export function decodeS3EventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

function fromS3Event(records: unknown[], body: string): S3ObjectRef[] {
  const objects: S3ObjectRef[] = [];
  records.forEach((record, index) => {
    const at = `Records[${index}]`;
    if (!isObject(record)) throw invalid(`${at} is not an object`, body);
    const eventName = record.eventName;
    // Only created objects carry new log files; removals and restores are announced too.
    if (typeof eventName === 'string' && !eventName.startsWith('ObjectCreated:')) return;
    const s3 = record.s3;
    const bucket = isObject(s3) && isObject(s3.bucket) ? s3.bucket.name : undefined;
    const key = isObject(s3) && isObject(s3.object) ? s3.object.key : undefined;
    if (typeof bucket !== 'string' || bucket.length === 0) {
      throw invalid(`${at}.s3.bucket.name is missing`, body);
    }
    if (typeof key !== 'string' || key.length === 0) {
      throw invalid(`${at}.s3.object.key is missing`, body);
    }
    let decoded: string;
    try {
      decoded = decodeS3EventKey(key);
    } catch {
      throw invalid(`${at}.s3.object.key ${describeValue(key)} is not valid URL encoding`, body);
    }
    objects.push({ bucket, key: decoded });
  });
  return objects;
}

/**
 * CloudTrail's own SNS message, `{"s3Bucket": "...", "s3ObjectKey": ["..."]}` (CloudTrail
 * User Guide, "Configuring Amazon SNS notifications for CloudTrail"). Keys are not encoded.
 */
function fromCloudTrailSns(payload: Record<string, unknown>, body: string): S3ObjectRef[] {
  const bucket = payload.s3Bucket;
  const keys = payload.s3ObjectKey;
  if (typeof bucket !== 'string' || bucket.length === 0) throw invalid('s3Bucket is missing', body);
  const list = Array.isArray(keys) ? keys : [keys];
  return list.map((key, index) => {
    if (typeof key !== 'string' || key.length === 0) {
      throw invalid(`s3ObjectKey[${index}] is not a non-empty string`, body);
    }
    return { bucket, key };
  });
}

function parsePayload(
  payload: unknown,
  body: string,
  snsWrapped: boolean,
): ParsedNotification | undefined {
  if (!isObject(payload)) return undefined;
  if (Array.isArray(payload.Records)) {
    return { objects: fromS3Event(payload.Records, body), format: 's3-event', snsWrapped };
  }
  if ('s3Bucket' in payload || 's3ObjectKey' in payload) {
    return { objects: fromCloudTrailSns(payload, body), format: 'cloudtrail-sns', snsWrapped };
  }
  // S3 sends one test event when a notification configuration is saved.
  if (payload.Event === 's3:TestEvent') {
    return { objects: [], format: 's3-test-event', snsWrapped };
  }
  return undefined;
}

/**
 * Parses an SQS message body into the S3 objects it announces. Accepts an S3 event
 * notification (`Records[].s3`), CloudTrail's SNS message (`s3Bucket`, `s3ObjectKey`), an
 * S3 test event, and either of those wrapped in an SNS envelope (`Type: Notification`,
 * `Message` a JSON string) when raw message delivery is off. SNS subscription confirmations
 * return no objects. Throws `InputError` `CIEM_INGEST_AWS_INVALID_NOTIFICATION` for
 * anything else, so the caller dead-letters the body.
 */
export function parseNotification(body: string): ParsedNotification {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalid('the body is not JSON', body);
  }
  const direct = parsePayload(parsed, body, false);
  if (direct !== undefined) return direct;

  if (isObject(parsed) && typeof parsed.Type === 'string') {
    if (parsed.Type === 'SubscriptionConfirmation' || parsed.Type === 'UnsubscribeConfirmation') {
      return { objects: [], format: 'sns-control', snsWrapped: true };
    }
    if (parsed.Type === 'Notification') {
      if (typeof parsed.Message !== 'string')
        throw invalid('the SNS Message is not a string', body);
      let inner: unknown;
      try {
        inner = JSON.parse(parsed.Message);
      } catch {
        throw invalid('the SNS Message is not JSON', body);
      }
      const wrapped = parsePayload(inner, body, true);
      if (wrapped !== undefined) return wrapped;
      throw invalid('the SNS Message has neither Records nor s3Bucket', body);
    }
  }
  throw invalid('it has neither Records, s3Bucket nor an SNS Type', body);
}
