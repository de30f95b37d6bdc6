/**
 * Hand-written IAM exports in the providers' formats, and usage rows, for the scenario
 * tests. Times are relative to `WINDOW_END`.
 */
import { evaluateExportDocuments } from '@ciem/entitlements';
import type { CompactPrincipalEntitlements, ExportDocument } from '@ciem/entitlements';
import type { PermissionUsage, PrincipalActivity } from '@ciem/usage';

export const DAY_MS = 86_400_000;
export const WINDOW_END = Date.UTC(2026, 3, 1);
export const AWS_ACCOUNT = '111122223333';
export const SUBSCRIPTION = '11111111-1111-1111-1111-111111111111';
export const GCP_PROJECT = 'shop-prod';

type Json = Record<string, unknown>;

/** Builds an IAM user of `GetAccountAuthorizationDetails` with inline policies. */
export function awsUser(
  name: string,
  inline: Record<string, Json>,
  options: { account?: string; tags?: Record<string, string> } = {},
): Json {
  const account = options.account ?? AWS_ACCOUNT;
  return {
    Path: '/',
    UserName: name,
    UserId: `AIDA${name.toUpperCase()}`,
    Arn: `arn:aws:iam::${account}:user/${name}`,
    CreateDate: '2024-01-01T00:00:00+00:00',
    UserPolicyList: Object.entries(inline).map(([PolicyName, PolicyDocument]) => ({
      PolicyName,
      PolicyDocument,
    })),
    GroupList: [],
    AttachedManagedPolicies: [],
    Tags: Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
  };
}

/** Builds a `GetAccountAuthorizationDetails` page with users only. */
export function awsAuthorizationDetails(users: Json[]): Json {
  return { UserDetailList: users, GroupDetailList: [], RoleDetailList: [], Policies: [] };
}

/**
 * Evaluates export documents and returns every principal of every snapshot. Problems other
 * than those with a code in `expectedProblems` fail the test.
 */
export function evaluate(
  documents: ExportDocument[],
  expectedProblems: readonly string[] = [],
): CompactPrincipalEntitlements[] {
  const evaluation = evaluateExportDocuments(documents, { takenAt: WINDOW_END });
  const unexpected = evaluation.problems.filter((p) => !expectedProblems.includes(p.code));
  if (unexpected.length > 0) {
    throw new Error(`fixture problems: ${JSON.stringify(unexpected)}`);
  }
  return evaluation.snapshots.flatMap((snapshot) => [...snapshot.principals]);
}

/** Builds a usage row with allowed calls, last seen `daysAgo` before the window end. */
export function usageRow(
  provider: PermissionUsage['provider'],
  account: string,
  principal: string,
  permission: string,
  options: {
    count?: number;
    daysAgo?: number;
    firstDaysAgo?: number;
    resources?: string[];
    visibility?: PermissionUsage['visibility'];
    denied?: number;
  } = {},
): PermissionUsage {
  return {
    provider,
    account_id: account,
    principal_id: principal,
    permission,
    visibility: options.visibility ?? 'logged',
    allowed_count: options.count ?? 1,
    denied_count: options.denied ?? 0,
    first_seen: WINDOW_END - (options.firstDaysAgo ?? 120) * DAY_MS,
    last_seen: WINDOW_END - (options.daysAgo ?? 1) * DAY_MS,
    resources: options.resources ?? [],
  };
}

/** Principal activity first seen `firstDaysAgo` and last seen `daysAgo` before the window end. */
export function activityRow(
  provider: PrincipalActivity['provider'],
  account: string,
  principal: string,
  daysAgo: number,
  firstDaysAgo = 120,
): PrincipalActivity {
  return {
    provider,
    account_id: account,
    principal_id: principal,
    principal_type: 'user',
    principal_name: null,
    event_count: 1,
    unmapped_count: 0,
    first_seen: WINDOW_END - firstDaysAgo * DAY_MS,
    last_seen: WINDOW_END - daysAgo * DAY_MS,
  };
}

/**
 * Evaluates recommended AWS policies with the entitlements evaluator, attached inline to one
 * user, and returns the user's grants as `permission` to resource patterns.
 */
export function evaluateAwsPolicies(policies: readonly Json[]): Map<string, string[]> {
  const inline: Record<string, Json> = {};
  policies.forEach((policy, index) => {
    inline[`recommended-${index + 1}`] = policy;
  });
  const [principal] = evaluate([
    { source: 'recommended.json', value: awsAuthorizationDetails([awsUser('check', inline)]) },
  ]);
  const grants = new Map<string, string[]>();
  for (const group of principal?.grant_groups ?? []) {
    for (const permission of group.permissions.names()) {
      grants.set(permission, [...(grants.get(permission) ?? []), group.resource]);
    }
  }
  return grants;
}

/** Returns whether an IAM resource pattern (`*` and `?` wildcards) matches an ARN. */
export function arnMatches(pattern: string, arn: string): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(arn);
}
