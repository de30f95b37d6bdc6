import { ConfigError, DependencyError } from '@ciem/errors';
import type { GetAccountAuthorizationDetailsCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import type { AwsIamSender } from './collect.js';
import { collectAwsAuthorizationDetails } from './collect.js';

/** A sender that returns canned pages keyed by the request's Marker. */
function pagedSender(
  pages: Record<string, object>,
): AwsIamSender & { markers: (string | undefined)[] } {
  const markers: (string | undefined)[] = [];
  return {
    markers,
    async send(command: GetAccountAuthorizationDetailsCommand) {
      markers.push(command.input.Marker);
      const page = pages[command.input.Marker ?? 'first'];
      if (page === undefined) throw new Error('unexpected marker');
      return { $metadata: {}, ...page };
    },
  };
}

describe('collectAwsAuthorizationDetails', () => {
  it('follows Marker until not truncated', async () => {
    const created = new Date('2024-05-01T10:00:00Z');
    const sender = pagedSender({
      first: {
        UserDetailList: [{ UserName: 'a', CreateDate: created }],
        IsTruncated: true,
        Marker: 'm2',
      },
      m2: { RoleDetailList: [], IsTruncated: false },
    });
    const pages = await collectAwsAuthorizationDetails({ client: sender, sourceName: 'test' });
    expect(sender.markers).toEqual([undefined, 'm2']);
    expect(pages.map((page) => page.source)).toEqual(['test#page-1', 'test#page-2']);
    expect(pages[0]?.value).toEqual({
      UserDetailList: [{ UserName: 'a', CreateDate: '2024-05-01T10:00:00.000Z' }],
      IsTruncated: true,
      Marker: 'm2',
    });
  });

  it('stops at maxPages', async () => {
    const sender = pagedSender({
      first: { IsTruncated: true, Marker: 'loop' },
      loop: { IsTruncated: true, Marker: 'loop' },
    });
    await expect(collectAwsAuthorizationDetails({ client: sender, maxPages: 3 })).rejects.toThrow(
      ConfigError,
    );
  });

  it('classifies access denied and failures', async () => {
    const failing = (name: string): AwsIamSender => ({
      send: async () => {
        throw Object.assign(new Error(`${name} happened`), { name });
      },
    });
    await expect(
      collectAwsAuthorizationDetails({ client: failing('AccessDenied') }),
    ).rejects.toMatchObject({
      code: 'CIEM_ENTITLEMENTS_AWS_COLLECT_ACCESS_DENIED',
    });
    const failure = await collectAwsAuthorizationDetails({
      client: failing('ServiceUnavailable'),
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DependencyError);
    expect((failure as DependencyError).retriable).toBe(true);
  });
});
