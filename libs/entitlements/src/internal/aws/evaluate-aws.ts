import type { CompactPrincipalEntitlements, GrantGroup } from '../model/compact-entitlements.js';
import { PermissionSetCache, PermissionTable } from '../model/permission-set.js';
import { AwsActionSets } from './action-sets.js';
import { accountOfArn } from './authorization-details.js';
import type {
  AwsAuthorizationDetails,
  AwsGroupDetail,
  AwsRoleDetail,
  AwsUserDetail,
} from './authorization-details.js';
import type { CompiledPolicy, CompiledStatement } from './compiled-policy.js';
import { PolicyCompiler } from './compiled-policy.js';
import { allowGroups, applyDenies, finishGroups, intersectGroups } from './effective-groups.js';
import { findAwsRisks } from './findings.js';
import type { AwsAssumeRoleEdge } from './findings.js';
import type { AwsOrganizationPolicies } from './organization-policies.js';
import type { AwsPolicyDocument } from './policy-document.js';
import { trustEdgesOf } from './trust-policy.js';
import type { AwsTrustEdge } from './trust-policy.js';

/** Options of `evaluateAwsEntitlements`. */
export interface AwsEvaluationOptions {
  /** SCPs and RCPs per account; accounts without an entry are not limited by any. */
  readonly organizationPolicies?: readonly AwsOrganizationPolicies[];
  /**
   * Documents of managed policies the export leaves out, by ARN. GetAccountAuthorizationDetails
   * lists AWS managed policies only when asked for them (`--filter AWSManagedPolicy`).
   */
  readonly managedPolicies?: ReadonlyMap<string, AwsPolicyDocument>;
  /** Permission table and set cache to share with other evaluations; new ones by default. */
  readonly cache?: PermissionSetCache;
}

/** Counts that show what evaluation could not resolve, and how much it shared. */
export interface AwsEvaluationStats {
  readonly users: number;
  readonly roles: number;
  readonly groups: number;
  readonly managedPolicies: number;
  /** Attached policy or boundary ARNs with no document in the input; their grants are missing. */
  readonly unresolvedPolicyArns: readonly string[];
  /** Group names in a user's GroupList with no GroupDetailList entry. */
  readonly unresolvedGroupNames: readonly string[];
  /** Literal actions the catalog does not list (lower case). */
  readonly unknownActions: readonly string[];
  /** Distinct policies compiled, distinct permission sets, distinct evaluated combinations. */
  readonly compiledPolicies: number;
  readonly permissionSets: number;
  readonly distinctCombinations: number;
}

/** Result of evaluating an AWS estate. */
export interface AwsEntitlementsResult {
  /** Users and roles, in input order (users first), with grants and findings. */
  readonly principals: readonly CompactPrincipalEntitlements[];
  /** Trust policy edges: the trustees that may assume each role. */
  readonly trustEdges: readonly AwsTrustEdge[];
  /** Principal-to-role assumptions that both trust and identity policies allow. */
  readonly assumeRoleEdges: readonly AwsAssumeRoleEdge[];
  /** Table the grant groups' ids refer to. */
  readonly table: PermissionTable;
  readonly stats: AwsEvaluationStats;
}

interface OrganizationContext {
  readonly key: string;
  readonly scpAllows: readonly CompiledStatement[];
  readonly denies: readonly CompiledStatement[];
  readonly limited: boolean;
}

const NO_ORGANIZATION: OrganizationContext = {
  key: '-',
  scpAllows: [],
  denies: [],
  limited: false,
};

/**
 * Evaluates every user and role of `details` per the AWS "Policy evaluation logic"
 * (IAM User Guide): identity policies (inline, attached and inherited from groups) allow,
 * explicit denies in any policy remove, permissions boundaries and SCPs intersect. See
 * `applyDenies` and `intersectGroups` for partial overlaps. Principals with the same
 * policies, boundary and organization policies share one evaluation and one list of grant
 * groups. Raises no errors: unresolved references are counted in `stats`.
 */
export function evaluateAwsEntitlements(
  details: AwsAuthorizationDetails,
  options: AwsEvaluationOptions = {},
): AwsEntitlementsResult {
  const cache = options.cache ?? new PermissionSetCache(new PermissionTable());
  const actions = new AwsActionSets(cache);
  const compiler = new PolicyCompiler(actions);
  const unresolvedPolicies = new Set<string>();
  const unresolvedGroups = new Set<string>();

  const managed = (arn: string, kind: 'identity' | 'boundary'): CompiledPolicy | undefined => {
    const document = details.policies.get(arn)?.document ?? options.managedPolicies?.get(arn);
    if (document === undefined) {
      unresolvedPolicies.add(arn);
      return undefined;
    }
    return compiler.compile(
      document,
      arn,
      kind,
      `${arn}#${details.policies.get(arn)?.defaultVersionId ?? 'extra'}`,
    );
  };

  // Wildcards such as the `*` of an SCP are compiled before the identity policies, so the
  // actions the catalog lacks are collected from every document first.
  for (const document of documentsOf(details, options)) actions.registerLiteralActions(document);

  const groupsByName = new Map<string, AwsGroupDetail>();
  for (const group of details.groups)
    groupsByName.set(`${accountOfArn(group.arn)}/${group.name}`, group);

  const organizations = new Map<string, OrganizationContext>();
  for (const entry of options.organizationPolicies ?? []) {
    if (entry.managementAccount) {
      organizations.set(entry.accountId, NO_ORGANIZATION);
      continue;
    }
    const scps = entry.serviceControlPolicies.map((policy) =>
      compiler.compile(policy.document, policy.name, 'scp'),
    );
    const rcps = entry.resourceControlPolicies.map((policy) =>
      compiler.compile(policy.document, policy.name, 'rcp'),
    );
    organizations.set(entry.accountId, {
      key: entry.accountId,
      scpAllows: scps.flatMap((policy) => policy.allows),
      // NOTE: RCP denies are applied to every grant whose actions they name. The RCP's own
      // Principal element and the list of services RCPs support are not checked.
      denies: [...scps, ...rcps].flatMap((policy) => policy.denies),
      limited: scps.length > 0,
    });
  }

  const memo = new Map<string, readonly GrantGroup[]>();
  let combinations = 0;
  const evaluate = (
    policies: readonly CompiledPolicy[],
    boundary: CompiledPolicy | undefined,
    organization: OrganizationContext,
  ): readonly GrantGroup[] => {
    const ids = [...new Set(policies.map((policy) => policy.id))].sort((a, b) => a - b);
    const key = `${ids.join(',')}|${boundary?.id ?? 0}|${organization.key}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    combinations += 1;

    const distinct = [...new Map(policies.map((policy) => [policy.id, policy])).values()];
    let groups = allowGroups(distinct.flatMap((policy) => policy.allows));
    if (boundary !== undefined) groups = intersectGroups(cache, groups, boundary.allows);
    if (organization.limited) groups = intersectGroups(cache, groups, organization.scpAllows);
    const denies = [
      ...distinct.flatMap((policy) => policy.denies),
      ...(boundary?.denies ?? []),
      ...organization.denies,
    ];
    const result = finishGroups(cache, applyDenies(cache, groups, denies));
    memo.set(key, result);
    return result;
  };

  const organizationOf = (identity: AwsUserDetail | AwsRoleDetail): OrganizationContext => {
    // SCPs and RCPs do not restrict service-linked roles (AWS Organizations User Guide,
    // "Service control policies", tasks and entities not restricted by SCPs).
    if (identity.path.startsWith('/aws-service-role/')) return NO_ORGANIZATION;
    return organizations.get(accountOfArn(identity.arn)) ?? NO_ORGANIZATION;
  };

  const ownPolicies = (
    identity: AwsUserDetail | AwsRoleDetail | AwsGroupDetail,
    prefix: string,
  ): CompiledPolicy[] => {
    const result: CompiledPolicy[] = [];
    for (const inline of identity.inlinePolicies) {
      result.push(compiler.compile(inline.document, `inline:${prefix}${inline.name}`, 'identity'));
    }
    for (const arn of identity.attachedPolicyArns) {
      const policy = managed(arn, 'identity');
      if (policy !== undefined) result.push(policy);
    }
    return result;
  };

  const principals: CompactPrincipalEntitlements[] = [];
  for (const user of details.users) {
    const policies = ownPolicies(user, '');
    for (const name of user.groupNames) {
      const group = groupsByName.get(`${accountOfArn(user.arn)}/${name}`);
      if (group === undefined) {
        unresolvedGroups.add(name);
        continue;
      }
      policies.push(...ownPolicies(group, `${group.name}/`));
    }
    const boundary =
      user.permissionsBoundaryArn === undefined
        ? undefined
        : managed(user.permissionsBoundaryArn, 'boundary');
    principals.push(principalOf(user, 'user', evaluate(policies, boundary, organizationOf(user))));
  }
  const trustEdges: AwsTrustEdge[] = [];
  for (const role of details.roles) {
    const boundary =
      role.permissionsBoundaryArn === undefined
        ? undefined
        : managed(role.permissionsBoundaryArn, 'boundary');
    principals.push(
      principalOf(role, 'role', evaluate(ownPolicies(role, ''), boundary, organizationOf(role))),
    );
    trustEdges.push(...trustEdgesOf(role));
  }

  const { principals: withFindings, assumeRoleEdges } = findAwsRisks(
    principals,
    trustEdges,
    actions,
  );

  return {
    principals: withFindings,
    trustEdges,
    assumeRoleEdges,
    table: cache.table,
    stats: {
      users: details.users.length,
      roles: details.roles.length,
      groups: details.groups.length,
      managedPolicies: details.policies.size,
      unresolvedPolicyArns: [...unresolvedPolicies].sort(),
      unresolvedGroupNames: [...unresolvedGroups].sort(),
      unknownActions: [...actions.unknownActions].sort(),
      compiledPolicies: compiler.size,
      permissionSets: cache.size,
      distinctCombinations: combinations,
    },
  };
}

function* documentsOf(
  details: AwsAuthorizationDetails,
  options: AwsEvaluationOptions,
): IterableIterator<AwsPolicyDocument> {
  for (const policy of details.policies.values()) yield policy.document;
  yield* options.managedPolicies?.values() ?? [];
  for (const identity of [...details.users, ...details.groups, ...details.roles]) {
    for (const inline of identity.inlinePolicies) yield inline.document;
  }
  for (const entry of options.organizationPolicies ?? []) {
    for (const policy of [...entry.serviceControlPolicies, ...entry.resourceControlPolicies]) {
      yield policy.document;
    }
  }
}

function principalOf(
  identity: AwsUserDetail | AwsRoleDetail,
  type: 'user' | 'role',
  groups: readonly GrantGroup[],
): CompactPrincipalEntitlements {
  return {
    provider: 'aws',
    account_id: accountOfArn(identity.arn),
    principal_id: identity.arn,
    principal_type: type,
    principal_name: identity.name,
    tags: { ...identity.tags },
    grant_groups: groups,
    findings: [],
  };
}
