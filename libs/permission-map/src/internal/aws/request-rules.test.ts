import { describe, expect, it } from 'vitest';
import { mapAwsCall } from './map-aws-call.js';

// Records carry requestParameters as CloudTrail writes them for S3 data events: the query
// parameters and request headers by name (Amazon S3 User Guide, "Logging Amazon S3 API
// calls using AWS CloudTrail").
const s3Call = (eventName: string, requestParameters: Record<string, unknown>) =>
  mapAwsCall({
    eventSource: 's3.amazonaws.com',
    eventName,
    eventCategory: 'Data',
    requestParameters: {
      bucketName: 'amzn-s3-demo-bucket',
      Host: 's3.amazonaws.com',
      ...requestParameters,
    },
  });

describe('S3 object version rules', () => {
  // Amazon S3 API Reference, GetObject, versionId: "If you include a versionId in your
  // request header, you must have the s3:GetObjectVersion permission ... The s3:GetObject
  // permission is not required in this scenario."
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
  it('maps versioned GetObject to GetObjectVersion', () => {
    const versioned = s3Call('GetObject', {
      key: 'report.csv',
      versionId: '3HL4kqtJvjVBH40Nrjfkd',
    });
    expect(versioned.permissions).toEqual(['s3:GetObjectVersion']);
    expect(versioned.visibility).toBe('data-event');
    const current = s3Call('GetObject', { key: 'report.csv' });
    expect(current.permissions).toEqual(['s3:GetObject']);
  });

  // Amazon S3 API Reference, HeadObject: "You need the relevant read object (or version)
  // permission for this operation."
  it('maps versioned HeadObject to GetObjectVersion', () => {
    const versioned = s3Call('HeadObject', { key: 'a.txt', versionId: 'v1' });
    expect(versioned.permissions).toEqual(['s3:GetObjectVersion']);
    expect(s3Call('HeadObject', { key: 'a.txt' }).permissions).toEqual(['s3:GetObject']);
  });

  // Amazon S3 API Reference, DeleteObjects, "Permissions": "s3:DeleteObjectVersion - To
  // delete a specific version of an object from a versioning-enabled bucket".
  it('maps versioned DeleteObject to DeleteObjectVersion', () => {
    const versioned = s3Call('DeleteObject', { key: 'a.txt', versionId: 'v1' });
    expect(versioned.permissions).toEqual(['s3:DeleteObjectVersion']);
    expect(s3Call('DeleteObject', { key: 'a.txt' }).permissions).toEqual(['s3:DeleteObject']);
  });

  // Service Authorization Reference, "Actions defined by Amazon S3": the *VersionAcl and
  // *VersionTagging actions act on "a specific object version".
  it('maps versioned ACL and tagging calls', () => {
    const cases: [string, string, string][] = [
      ['GetObjectAcl', 's3:GetObjectAcl', 's3:GetObjectVersionAcl'],
      ['PutObjectAcl', 's3:PutObjectAcl', 's3:PutObjectVersionAcl'],
      ['GetObjectTagging', 's3:GetObjectTagging', 's3:GetObjectVersionTagging'],
      ['PutObjectTagging', 's3:PutObjectTagging', 's3:PutObjectVersionTagging'],
      ['DeleteObjectTagging', 's3:DeleteObjectTagging', 's3:DeleteObjectVersionTagging'],
    ];
    for (const [eventName, current, versioned] of cases) {
      expect(s3Call(eventName, { key: 'a.txt', acl: '' }).permissions, eventName).toEqual([
        current,
      ]);
      const withVersion = s3Call(eventName, { key: 'a.txt', versionId: 'v1' });
      expect(withVersion.permissions, eventName).toEqual([versioned]);
    }
  });

  // Amazon S3 API Reference, GetObjectAttributes, "Permissions": "If you pass a version ID
  // in your request, you need both the s3:GetObjectVersion and
  // s3:GetObjectVersionAttributes permissions. If you do not pass a version ID in your
  // request, you need the s3:GetObject and s3:GetObjectAttributes permissions."
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html
  it('maps GetObjectAttributes to two actions', () => {
    const current = s3Call('GetObjectAttributes', { key: 'a.txt', attributes: '' });
    expect(current.permissions).toEqual(['s3:GetObject', 's3:GetObjectAttributes']);
    const versioned = s3Call('GetObjectAttributes', { key: 'a.txt', versionId: 'v1' });
    expect(versioned.permissions).toEqual(['s3:GetObjectVersion', 's3:GetObjectVersionAttributes']);
  });

  it('reads versionId in any case', () => {
    expect(s3Call('GetObject', { key: 'a', VersionId: 'v1' }).permissions).toEqual([
      's3:GetObjectVersion',
    ]);
    expect(s3Call('GetObject', { key: 'a', versionId: '' }).permissions).toEqual(['s3:GetObject']);
  });

  // Amazon S3 API Reference, CopyObject: x-amz-copy-source is "bucket/key", and a version
  // of the source is named with "?versionId=". The version read needs s3:GetObjectVersion,
  // as for GetObject.
  it('maps CopyObject from a source version', () => {
    const versioned = s3Call('CopyObject', {
      key: 'copy.csv',
      'x-amz-copy-source': 'source-bucket/report.csv?versionId=3HL4kqtJvjVBH40Nrjfkd',
    });
    expect(versioned.permissions).toEqual(['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject']);
    const encoded = s3Call('CopyObject', {
      key: 'copy.csv',
      'x-amz-copy-source': 'source-bucket%2Freport.csv%3FversionId%3Dabc',
    });
    expect(encoded.permissions).toContain('s3:GetObjectVersion');
    const current = s3Call('CopyObject', {
      key: 'copy.csv',
      'x-amz-copy-source': 'source-bucket/report.csv',
    });
    expect(current.permissions).toEqual(['s3:GetObject', 's3:PutObject']);
  });
});

describe('S3 Block Public Access rules', () => {
  // Service Authorization Reference, "Actions defined by Amazon S3": the bucket setting is
  // s3:Get/PutBucketPublicAccessBlock, the account setting s3:Get/PutAccountPublicAccessBlock,
  // and neither has a Delete action.
  it('picks bucket or account level', () => {
    const bucket = s3Call('GetPublicAccessBlock', { publicAccessBlock: '' });
    expect(bucket.permissions).toEqual(['s3:GetBucketPublicAccessBlock']);
    const account = mapAwsCall({
      eventSource: 's3.amazonaws.com',
      eventName: 'DeletePublicAccessBlock',
      requestParameters: { accountId: '111122223333' },
    });
    expect(account.permissions).toEqual(['s3:PutAccountPublicAccessBlock']);
  });

  it('maps DeleteAccountPublicAccessBlock to Put', () => {
    const mapping = mapAwsCall({
      eventSource: 's3.amazonaws.com',
      eventName: 'DeleteAccountPublicAccessBlock',
      requestParameters: { accountId: '111122223333' },
    });
    expect(mapping.status).toBe('mapped');
    expect(mapping.permissions).toEqual(['s3:PutAccountPublicAccessBlock']);
  });
});
