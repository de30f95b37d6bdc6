import type { AwsPolicyDocument, AwsStatement } from '../catalog/aws-policies.js';
import type { AzureRole } from '../catalog/azure-roles.js';
import type { ApiCall, PermissionGroup, Provider } from '../catalog/types.js';

export type Profile = 'right-sized' | 'over-privileged' | 'dormant' | 'never-used';

/** When a principal is active, in whole simulated days counted from the start. */
export interface ActivityWindow {
  readonly firstDay: number;
  /** Last day of regular activity (inclusive); dormant principals stop before the end. */
  readonly lastDay: number;
  /** A dormant principal that comes back is active again on this one day. */
  readonly wakeDay: number | undefined;
}

/** One identity of the estate, in any provider, with its grants and behaviour. */
export interface Principal {
  readonly provider: Provider;
  /** Unique inside the estate; seeds this principal's random streams. */
  readonly key: string;
  /** The id the normalizer reports: IAM ARN, Azure object id or GCP member. */
  readonly id: string;
  readonly name: string;
  /** `IAMUser`, `IAMRole`, `User`, `ServicePrincipal`, `ManagedIdentity`, `user`, `serviceAccount`. */
  readonly type: string;
  readonly archetype: string;
  readonly team: string;
  /** AWS account, Azure subscription or GCP project that holds the grants and the logs. */
  readonly home: string;
  readonly human: boolean;
  profile: Profile;
  readonly window: ActivityWindow;
  /** Mean activity multiplier (heavy-tailed across principals). */
  readonly rate: number;
  /** Hours east of UTC for working hours; humans only. */
  readonly utcOffsetHours: number;
  readonly ips: readonly string[];
  readonly userAgents: readonly string[];
  readonly regions: readonly string[];
  readonly usedGroups: readonly PermissionGroup[];
  /** Groups whose every call the grants allow. */
  readonly coveredGroupIds: readonly string[];
  /** Calls none of whose permissions the grants allow: drawn for denied requests. */
  readonly deniedCalls: readonly ApiCall[];
  readonly isAllowed: (call: ApiCall) => boolean;
  readonly aws?: AwsIdentity;
  readonly azure?: AzureIdentity;
  readonly gcp?: GcpIdentity;
}

export interface AwsIdentity {
  readonly kind: 'user' | 'role';
  readonly accountId: string;
  readonly arn: string;
  /** `AIDA…` for users, `AROA…` for roles. */
  readonly uniqueId: string;
  readonly name: string;
  readonly accessKeyId: string | undefined;
  readonly console: boolean;
  readonly mfa: boolean;
  readonly assumedBy: 'user' | 'service' | 'web-identity' | 'cross-account' | undefined;
  readonly servicePrincipal: string | undefined;
  /** Users who assume this role (for `assumedBy: 'user'`) or the trusted account. */
  readonly assumers: Principal[];
  readonly trustedAccountId: string | undefined;
  readonly trustPolicy: AwsPolicyDocument | undefined;
  readonly groupNames: readonly string[];
  readonly managedPolicyArns: readonly string[];
  readonly inlinePolicies: ReadonlyArray<{ name: string; document: AwsPolicyDocument }>;
  readonly statements: readonly AwsStatement[];
  readonly tags: ReadonlyArray<{ Key: string; Value: string }>;
  readonly createDate: string;
}

export interface AzureIdentity {
  readonly objectId: string;
  readonly principalType: 'User' | 'ServicePrincipal';
  readonly appId: string | undefined;
  readonly upn: string | undefined;
  readonly displayName: string;
  readonly managedIdentityResourceId: string | undefined;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly assignments: ReadonlyArray<{ id: string; role: AzureRole; scope: string }>;
}

export interface GcpIdentity {
  readonly email: string;
  readonly member: string;
  readonly projectId: string;
  readonly roles: readonly string[];
  /** Users allowed to impersonate this service account, with their emails. */
  readonly impersonators: Principal[];
}

export interface AwsIamGroup {
  readonly name: string;
  readonly groupId: string;
  readonly managedPolicyNames: readonly string[];
  readonly customerPolicyNames: readonly string[];
}

export interface AwsCustomerPolicy {
  readonly name: string;
  readonly policyId: string;
  readonly document: AwsPolicyDocument;
  /** Older versions, newest first; the default version is `document`. */
  readonly previousDocuments: readonly AwsPolicyDocument[];
}

export interface AwsAccount {
  readonly id: string;
  readonly alias: string;
  readonly team: string;
  readonly regions: readonly string[];
  readonly groups: AwsIamGroup[];
  readonly customerPolicies: AwsCustomerPolicy[];
  readonly trailName: string;
  readonly buckets: readonly string[];
}

export interface AzureSubscription {
  readonly id: string;
  readonly displayName: string;
  readonly team: string;
  readonly locations: readonly string[];
  readonly resourceGroups: readonly string[];
  readonly customRoles: AzureRole[];
}

export interface GcpProject {
  readonly id: string;
  readonly number: string;
  readonly team: string;
  readonly zones: readonly string[];
  readonly customRoles: Array<{ name: string; title: string; includedPermissions: string[] }>;
  readonly buckets: readonly string[];
}

/** The whole simulated estate: scopes, principals and grants. Built once, then read-only. */
export interface Estate {
  readonly seed: string;
  readonly start: number;
  readonly days: number;
  readonly teams: readonly string[];
  readonly awsAccounts: AwsAccount[];
  readonly azureTenantId: string;
  readonly azureSubscriptions: AzureSubscription[];
  readonly gcpOrganizationId: string;
  readonly gcpProjects: GcpProject[];
  readonly principals: Principal[];
}
