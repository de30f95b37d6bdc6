import { gzipSync } from 'node:zlib';

/**
 * Builds a CloudTrail record in the format of the CloudTrail record contents reference
 * (eventVersion 1.08), for an IAM user's S3 call.
 */
export function cloudTrailRecord(
  eventID: string,
  account: string,
  eventTime = '2024-05-01T12:00:00Z',
): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEUSERID',
      arn: `arn:aws:iam::${account}:user/alice`,
      accountId: account,
      accessKeyId: 'AKIAEXAMPLEKEYID',
      userName: 'alice',
    },
    eventTime,
    eventSource: 's3.amazonaws.com',
    eventName: 'ListBuckets',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { Host: 's3.us-east-1.amazonaws.com' },
    responseElements: null,
    requestID: `REQ${eventID}`,
    eventID,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
  };
}

/** Builds a CloudTrail delivery file: `{"Records":[...]}` gzip-compressed, as CloudTrail writes to S3. */
export function deliveryFile(records: readonly Record<string, unknown>[]): Buffer {
  return gzipSync(JSON.stringify({ Records: records }));
}

/** Returns the S3 key CloudTrail gives a delivery file of `account`. */
export function deliveryKey(account: string, suffix: string): string {
  return `AWSLogs/${account}/CloudTrail/us-east-1/2024/05/01/${account}_CloudTrail_us-east-1_20240501T1205Z_${suffix}.json.gz`;
}

/** Builds an S3 event notification for created objects, keys URL-encoded as S3 writes them. */
export function s3EventNotification(bucket: string, keys: readonly string[]): string {
  return JSON.stringify({
    Records: keys.map((key) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '2024-05-01T12:05:31.000Z',
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

/** Wraps `message` in an SNS envelope (raw message delivery off). */
export function snsEnvelope(message: string): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
    TopicArn: 'arn:aws:sns:us-east-1:111122223333:trail-topic',
    Message: message,
    Timestamp: '2024-05-01T12:05:32.000Z',
    SignatureVersion: '1',
  });
}
