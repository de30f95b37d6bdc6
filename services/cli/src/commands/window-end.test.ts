import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/ciem.js', import.meta.url));
const run = promisify(execFile);

const identity = {
  type: 'IAMUser',
  principalId: 'AIDAEXAMPLEREPORTER01',
  arn: 'arn:aws:iam::111122223333:user/reporter',
  accountId: '111122223333',
  accessKeyId: 'AKIAEXAMPLEREPORT001',
  userName: 'reporter',
};

function s3Call(eventName: string, eventTime: string, index: number): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: identity,
    eventTime,
    eventSource: 's3.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.20',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { bucketName: 'reports' },
    responseElements: null,
    requestID: `REQ000000000000${index}`,
    eventID: `5c1d7c8e-0000-4000-8000-00000000000${index}`,
    readOnly: eventName === 'GetObject',
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
  };
}

// The user may read objects and delete buckets. It reads on 1 March and deletes the bucket
// on 10 March, so a window ending on 5 March finds s3:DeleteBucket unused.
const trail = {
  Records: [
    s3Call('GetObject', '2024-03-01T10:00:00Z', 1),
    s3Call('DeleteBucket', '2024-03-10T10:00:00Z', 2),
  ],
};
const authorizationDetails = {
  UserDetailList: [
    {
      Path: '/',
      UserName: 'reporter',
      UserId: 'AIDAEXAMPLEREPORTER01',
      Arn: identity.arn,
      CreateDate: '2023-01-01T00:00:00Z',
      UserPolicyList: [
        {
          PolicyName: 'reports',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: ['s3:GetObject', 's3:DeleteBucket'], Resource: '*' },
            ],
          },
        },
      ],
      GroupList: [],
      AttachedManagedPolicies: [],
      Tags: [],
    },
  ],
  GroupDetailList: [],
  RoleDetailList: [],
  Policies: [],
};

describe('ciem run --window-end', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ciem-window-end-'));
    await writeFile(path.join(dir, 'trail.json'), JSON.stringify(trail));
    await writeFile(path.join(dir, 'auth.json'), JSON.stringify(authorizationDetails));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function alertRules(out: string, extra: string[]): Promise<string[]> {
    await run(
      process.execPath,
      [
        bin,
        'run',
        path.join(dir, 'trail.json'),
        '--grants',
        path.join(dir, 'auth.json'),
        '--out',
        out,
        ...extra,
      ],
      { timeout: 60_000 },
    );
    const text = await readFile(path.join(out, 'alerts.ndjson'), 'utf8');
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => (JSON.parse(line) as { rule_id: string }).rule_id);
  }

  it('alerts on use after the window', async () => {
    const rules = await alertRules(path.join(dir, 'ended'), ['--window-end', '2024-03-05']);
    expect(rules).toContain('unused-high-risk-permission');
  });

  it('counts use inside the window', async () => {
    const rules = await alertRules(path.join(dir, 'open'), []);
    expect(rules).not.toContain('unused-high-risk-permission');
  });

  it('rejects a day that does not exist', async () => {
    const failure = await run(
      process.execPath,
      [bin, 'run', path.join(dir, 'trail.json'), '--window-end', '2024-13-01'],
      { timeout: 60_000 },
    ).catch((error: { code: number; stderr: string }) => error);
    expect('code' in failure ? failure.code : 0).toBe(2);
    expect(failure.stderr).toContain('expected a UTC day YYYY-MM-DD');
  });
});
