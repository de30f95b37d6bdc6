import { InputError } from '@ciem/errors';
import { describe, expect, it } from 'vitest';
import { decodeS3EventKey, parseNotification } from './notification.js';

const deliveryKey =
  'AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/111122223333_CloudTrail_us-east-1_20240501T1205Z_AbCdEf123.json.gz';

function s3Event(key: string, eventName = 'ObjectCreated:Put'): Record<string, unknown> {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: '2024-05-01T12:05:31.000Z',
        eventName,
        userIdentity: { principalId: 'AWS:AROAEXAMPLE:regionalDeliverySession' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'cloudtrail-logs',
          bucket: { name: 'trail-bucket', arn: 'arn:aws:s3:::trail-bucket' },
          object: { key, size: 1834, eTag: 'd41d8cd98f00b204e9800998ecf8427e' },
        },
      },
    ],
  };
}

function snsEnvelope(message: unknown): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
    TopicArn: 'arn:aws:sns:us-east-1:111122223333:trail-topic',
    Message: JSON.stringify(message),
    Timestamp: '2024-05-01T12:05:32.000Z',
    SignatureVersion: '1',
  });
}

describe('parseNotification', () => {
  it('reads an S3 event notification', () => {
    const parsed = parseNotification(JSON.stringify(s3Event(deliveryKey)));
    expect(parsed.objects).toEqual([{ bucket: 'trail-bucket', key: deliveryKey }]);
    expect(parsed.format).toBe('s3-event');
    expect(parsed.snsWrapped).toBe(false);
  });

  it('decodes URL-encoded keys', () => {
    const parsed = parseNotification(
      JSON.stringify(s3Event('logs/my+trail/a%2Bb%3Dc/%C3%A9t%C3%A9.json.gz')),
    );
    expect(parsed.objects[0]?.key).toBe('logs/my trail/a+b=c/été.json.gz');
  });

  it('ignores removal events', () => {
    const parsed = parseNotification(JSON.stringify(s3Event(deliveryKey, 'ObjectRemoved:Delete')));
    expect(parsed.objects).toEqual([]);
  });

  it('reads an SNS-wrapped S3 event', () => {
    const parsed = parseNotification(snsEnvelope(s3Event(deliveryKey)));
    expect(parsed.objects).toEqual([{ bucket: 'trail-bucket', key: deliveryKey }]);
    expect(parsed.snsWrapped).toBe(true);
  });

  it('reads the CloudTrail SNS message', () => {
    const keys = [deliveryKey, deliveryKey.replace('AbCdEf123', 'Zyx987')];
    const parsed = parseNotification(snsEnvelope({ s3Bucket: 'trail-bucket', s3ObjectKey: keys }));
    expect(parsed.format).toBe('cloudtrail-sns');
    expect(parsed.objects).toEqual(keys.map((key) => ({ bucket: 'trail-bucket', key })));
  });

  it('keeps CloudTrail SNS keys unencoded', () => {
    // CloudTrail's own message carries keys as they are; a + is a literal +.
    const parsed = parseNotification(
      JSON.stringify({ s3Bucket: 'trail-bucket', s3ObjectKey: ['a+b/c.json.gz'] }),
    );
    expect(parsed.objects).toEqual([{ bucket: 'trail-bucket', key: 'a+b/c.json.gz' }]);
  });

  it('returns nothing for the S3 test event', () => {
    const body = JSON.stringify({
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2024-05-01T12:00:00.000Z',
      Bucket: 'trail-bucket',
      RequestId: '5582815E1AEA5ADF',
    });
    expect(parseNotification(body)).toEqual({
      objects: [],
      format: 's3-test-event',
      snsWrapped: false,
    });
  });

  it('returns nothing for subscription confirmations', () => {
    const body = JSON.stringify({ Type: 'SubscriptionConfirmation', Token: 'abc', Message: 'x' });
    expect(parseNotification(body).objects).toEqual([]);
  });

  it.each([
    ['not JSON', 'hello'],
    ['an unknown object', '{"foo":1}'],
    ['a record without a bucket', '{"Records":[{"eventName":"ObjectCreated:Put","s3":{}}]}'],
    ['an SNS Message without JSON', '{"Type":"Notification","Message":"plain text"}'],
    ['a broken percent escape', JSON.stringify(s3Event('bad%E0%A4%A.json.gz'))],
    ['an empty CloudTrail key list', '{"s3Bucket":"b","s3ObjectKey":[""]}'],
  ])('rejects %s', (_case, body) => {
    let caught: unknown;
    try {
      parseNotification(body);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).code).toBe('CIEM_INGEST_AWS_INVALID_NOTIFICATION');
  });
});

describe('decodeS3EventKey', () => {
  it('turns plus signs into spaces', () => {
    expect(decodeS3EventKey('a+b+c')).toBe('a b c');
  });

  it('keeps an encoded plus sign', () => {
    expect(decodeS3EventKey('a%2Bb')).toBe('a+b');
  });
});
