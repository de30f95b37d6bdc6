import {
  awsPermissionVisibility,
  azurePermissionVisibility,
  gcpPermissionVisibility,
  lookupAwsAction,
} from '@ciem/permission-map';
import type { AwsAccessLevel, PermissionVisibility } from '@ciem/permission-map';
import type { PermissionRisk, RightsizingProvider } from './types.js';

/** Risk classes from highest to lowest, the order `unused` is sorted in. */
export const RISK_ORDER: readonly PermissionRisk[] = [
  'escalation',
  'permissions-management',
  'write',
  'read',
  'list',
  'tagging',
  'unknown',
];

/**
 * Permissions that let a principal raise its own privileges or act as another identity, as
 * lower-cased wildcard patterns (`*` is any run of characters). Sources: the AWS IAM
 * privilege-escalation methods the entitlements findings check, Azure RBAC
 * `Microsoft.Authorization` writes, and GCP `setIamPolicy` and service account
 * impersonation permissions (IAM documentation, "Service account impersonation").
 */
const ESCALATION_PATTERNS: readonly string[] = [
  'iam:passrole',
  'iam:createpolicyversion',
  'iam:setdefaultpolicyversion',
  'iam:attach*policy',
  'iam:put*policy',
  'iam:createaccesskey',
  'iam:createloginprofile',
  'iam:updateloginprofile',
  'iam:updateassumerolepolicy',
  'iam:addusertogroup',
  'sts:assumerole',
  'sts:assumerolewith*',
  'microsoft.authorization/roleassignments/write',
  'microsoft.authorization/roledefinitions/write',
  'microsoft.authorization/elevateaccess/action',
  '*.setiampolicy',
  'iam.serviceaccounts.actas',
  'iam.serviceaccounts.getaccesstoken',
  'iam.serviceaccounts.getopenidtoken',
  'iam.serviceaccounts.implicitdelegation',
  'iam.serviceaccounts.signblob',
  'iam.serviceaccounts.signjwt',
  'iam.serviceaccountkeys.create',
  'iam.roles.update',
];

function patternRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

const ESCALATION_MATCHERS = ESCALATION_PATTERNS.map(patternRegExp);

const ACCESS_LEVEL_RISK: Readonly<Record<AwsAccessLevel, PermissionRisk>> = {
  'Permissions management': 'permissions-management',
  Write: 'write',
  Read: 'read',
  List: 'list',
  Tagging: 'tagging',
};

const GCP_READ_VERBS = new Set(['get', 'getiampolicy', 'search', 'query', 'export', 'read']);
const GCP_TAG_VERBS = new Set(['setlabels', 'settags', 'createtagbinding', 'deletetagbinding']);

/** Returns true for a permission in the escalation list. Input is compared lower-cased. */
export function isEscalationPermission(permission: string): boolean {
  const lower = permission.toLowerCase();
  return ESCALATION_MATCHERS.some((matcher) => matcher.test(lower));
}

function azureRisk(lower: string): PermissionRisk {
  if (lower.startsWith('microsoft.resources/tags/')) return 'tagging';
  const verb = lower.split('/').pop() ?? '';
  if (lower.startsWith('microsoft.authorization/') && verb !== 'read') {
    return 'permissions-management';
  }
  if (verb === 'read') return lower.includes('*') ? 'list' : 'read';
  if (verb === 'write' || verb === 'delete' || verb === 'action') return 'write';
  return 'unknown';
}

function gcpRisk(lower: string): PermissionRisk {
  if (lower.startsWith('roles/') || lower.includes('/roles/')) return 'unknown';
  const verb = lower.split('.').pop() ?? '';
  if (verb === 'list') return 'list';
  if (GCP_READ_VERBS.has(verb)) return 'read';
  if (GCP_TAG_VERBS.has(verb)) return 'tagging';
  if (lower.startsWith('resourcemanager.') && verb.includes('iam')) {
    return 'permissions-management';
  }
  return 'write';
}

/**
 * Returns the risk class of a permission. It is `escalation` when the permission is in the
 * escalation list or in `escalationPaths` (lower-cased permissions named by the principal's
 * findings). Otherwise AWS uses the catalog access level, and Azure and GCP the verb of the
 * permission name.
 */
export function classifyRisk(
  provider: RightsizingProvider,
  permission: string,
  escalationPaths: ReadonlySet<string>,
): PermissionRisk {
  const lower = permission.toLowerCase();
  if (escalationPaths.has(lower) || isEscalationPermission(lower)) return 'escalation';
  if (provider === 'aws') {
    const entry = lookupAwsAction(permission);
    return entry === undefined ? 'unknown' : ACCESS_LEVEL_RISK[entry.accessLevel];
  }
  return provider === 'azure' ? azureRisk(lower) : gcpRisk(lower);
}

/** Returns the service of a permission: AWS prefix, Azure namespace or GCP service, lower-cased. */
export function serviceOf(provider: RightsizingProvider, permission: string): string {
  const lower = permission.toLowerCase();
  if (provider === 'aws') return lower.split(':')[0] ?? lower;
  if (provider === 'azure') return lower.split('/')[0] ?? lower;
  if (lower.startsWith('roles/') || lower.includes('/roles/')) return 'roles';
  return lower.split('.')[0] ?? lower;
}

/** Returns whether a use of the permission shows in the provider's audit log. */
export function visibilityOf(
  provider: RightsizingProvider,
  permission: string,
  dataAction: boolean,
): PermissionVisibility {
  if (provider === 'aws') return awsPermissionVisibility(permission);
  if (provider === 'azure') return azurePermissionVisibility(permission, { dataAction });
  // A GCP role whose definition the export lacked is opaque: its use is logged as the
  // permissions it contains, which the analysis cannot name.
  if (permission.startsWith('roles/') || permission.includes('/roles/')) return 'logged';
  return gcpPermissionVisibility(permission);
}

/**
 * Permission names a finding path contains: steps that name permissions, split at `+`
 * (`iam:PassRole+ec2:RunInstances`), lower-cased.
 */
export function permissionsInFindingPath(path: readonly string[]): string[] {
  const names: string[] = [];
  for (const step of path) {
    for (const part of step.split('+')) {
      const trimmed = part.trim();
      if (trimmed.startsWith('arn:') || trimmed.startsWith('/') || trimmed.includes(' ')) continue;
      if (/^[a-z0-9-]+:[a-z0-9*]+$/i.test(trimmed) || /^[a-z]+(\.[a-z*]+){2,}$/i.test(trimmed)) {
        names.push(trimmed.toLowerCase());
      } else if (/^microsoft\.[a-z]+\//i.test(trimmed)) {
        names.push(trimmed.toLowerCase());
      }
    }
  }
  return names;
}
