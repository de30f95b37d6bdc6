/**
 * The serializable result of right-sizing: what `ciem.recommendations`, the
 * `recommendations.ndjson` file and the reports carry. Field names use the snake_case of the
 * NormalizedEvent schema so a result joins with events and entitlements on `principal_id`.
 * Times are milliseconds since the Unix epoch (UTC).
 */
import type { CatalogRole, Finding, GcpCustomRolesSupportLevel } from '@ciem/entitlements';

/** Cloud provider of a result. */
export type RightsizingProvider = 'aws' | 'azure' | 'gcp';

/**
 * Activity of a principal in the window:
 * - `active`: at least one allowed use of a granted permission, or any event, in the window;
 * - `inactive`: seen before the window but not in it;
 * - `never-used`: granted, and seen in none of the usage data.
 */
export type PrincipalStatus = 'active' | 'inactive' | 'never-used';

/** Risk class of an unused permission, highest first. */
export type PermissionRisk =
  'escalation' | 'permissions-management' | 'write' | 'read' | 'list' | 'tagging' | 'unknown';

/**
 * Reason the use of a granted permission cannot be seen in the usage data:
 * - `not-logged`: the provider's logs never record the call;
 * - `data-event-not-enabled`: the data-event log that would record it shows no event in the
 *   account;
 * - `role-not-defined`: not assessable, because the grant is a GCP role that the export does
 *   not define, so its permissions, and whether their use is logged, are unknown.
 */
export type UnobservableReason = 'data-event-not-enabled' | 'not-logged' | 'role-not-defined';

/** The time range the analysis compared grants with. */
export interface AnalysisWindow {
  /** Start, inclusive. */
  start: number;
  /** End, exclusive. */
  end: number;
  /** Length of the window in days. */
  days: number;
  /**
   * Days of the window the usage data covers: from the account's first event (or the window
   * start) to its last event (or the window end), rounded up. Fewer than `days` lowers the
   * confidence.
   */
  days_observed: number;
  /** First event of the principal's account in the usage data, or `null` without data. */
  first_event: number | null;
  /** Last event of the principal's account in the usage data, or `null` without data. */
  last_event: number | null;
}

/**
 * A granted permission with allowed use in the window. `partially_used` marks a grant that is
 * a pattern (an Azure wildcard kept as is, a GCP role whose permissions are unknown): the
 * pattern is reported with the used permissions it matched in `matched`.
 */
export interface UsedPermission {
  permission: string;
  last_used: number;
  /** Allowed calls in the usage rows that matched. */
  count: number;
  partially_used?: boolean;
  matched?: string[];
}

/** A granted, observable permission with no allowed use in the window. */
export interface UnusedPermission {
  permission: string;
  risk: PermissionRisk;
  /** AWS service prefix, Azure resource provider namespace (lower case) or GCP service. */
  service: string;
}

/** A granted, unused permission whose use the data cannot show; never recommended for removal. */
export interface UnobservablePermission {
  permission: string;
  reason: UnobservableReason;
}

/** The numbers the score formula used (see the library README). */
export interface ScoreInputs {
  /** Granted permissions whose use can be observed. */
  observable_granted: number;
  /** Observable granted permissions without allowed use in the window. */
  observable_unused: number;
  /** Sum of risk weights over observable granted permissions. */
  weighted_granted: number;
  /** Sum of risk weights over observable unused permissions. */
  weighted_unused: number;
  /** `weighted_unused / weighted_granted`, 0 when nothing observable is granted. */
  unused_share: number;
  /** Days from the last activity (or the window start when never seen) to the window end. */
  idle_days: number;
  /** `min(1, idle_days / window days)`. */
  inactivity: number;
}

/** Kind of recommendation. */
export type RecommendationKind =
  | 'aws-policy'
  | 'azure-custom-role'
  | 'azure-builtin-role'
  | 'gcp-predefined-roles'
  | 'gcp-custom-role'
  | 'remove-principal'
  | 'none';

/** An IAM statement of a recommended AWS policy; `Action` is sorted. */
export interface IamStatementJson {
  Sid?: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
  /** The `Condition` block of the grants the statement replaces, when they had one. */
  Condition?: Record<string, unknown>;
}

/** An AWS identity-based policy document (IAM JSON policy grammar, version 2012-10-17). */
export interface IamPolicyJson {
  Version: '2012-10-17';
  Statement: IamStatementJson[];
}

/** An Azure role definition in the form `az role definition create` reads. */
export interface AzureRoleDefinitionJson {
  Name: string;
  /** Role definition id of a built-in role; absent for a custom role. */
  Id?: string;
  IsCustom: boolean;
  Description: string;
  Actions: string[];
  NotActions: string[];
  DataActions: string[];
  NotDataActions: string[];
  AssignableScopes: string[];
}

/** A set of GCP predefined roles chosen by greedy set cover (an approximation). */
export interface GcpRoleSetJson {
  roles: string[];
  /** Permissions the roles grant beyond the used ones. */
  extra_permissions: number;
  approximate: true;
}

/** A GCP custom role in the form `gcloud iam roles create --file` reads. */
export interface GcpCustomRoleJson {
  title: string;
  description: string;
  stage: 'GA';
  includedPermissions: string[];
}

/**
 * Document of a recommendation, by kind. It is `null` for `remove-principal`, for `none`,
 * and for an `aws-policy` that keeps no permission.
 */
export type RecommendationDocument =
  IamPolicyJson | AzureRoleDefinitionJson | GcpRoleSetJson | GcpCustomRoleJson | null;

/** Another way to reach least privilege, with what it grants beyond use. */
export interface RecommendationAlternative {
  kind: RecommendationKind;
  document: RecommendationDocument;
  /** Documents to apply together with `document`, as in `Recommendation`. */
  additional_documents?: RecommendationDocument[];
  /** Permissions the alternative grants that went unused in the window. */
  extra_permissions: string[];
}

/**
 * What to do with a principal. `removes` lists the granted, observable, unused permissions
 * the change takes away, sorted. `additional_documents` are applied together with
 * `document`, and `notes` explains why. They contain the rest of an AWS policy that exceeds
 * the managed-policy size limit and cannot be compressed, or the GCP predefined roles that
 * grant the permissions a GCP custom role cannot include.
 */
export interface Recommendation {
  kind: RecommendationKind;
  document: RecommendationDocument;
  additional_documents?: RecommendationDocument[];
  removes: string[];
  alternatives?: RecommendationAlternative[];
  notes?: string[];
}

/** Confidence in a result, from 0 to 1, with its inputs. */
export interface Confidence {
  value: number;
  inputs: {
    /** `days_observed / days` of the window. */
    window_coverage: number;
    /** Share of the granted permissions that are unobservable. */
    unobservable_share: number;
    /** Whether the principal's account has any usage data in the window. */
    account_has_data: boolean;
  };
}

/** Right-sizing of one principal. */
export interface RightsizingResult {
  provider: RightsizingProvider;
  account_id: string;
  principal_id: string;
  principal_type: string;
  principal_name: string;
  /** Owning team from the ownership options, or `null` when none matches. */
  team: string | null;
  status: PrincipalStatus;
  /** Last event of the principal seen in any of the data, or `null`. */
  last_activity: number | null;
  window: AnalysisWindow;
  used: UsedPermission[];
  /** Sorted by risk (highest first), then permission. */
  unused: UnusedPermission[];
  unobservable: UnobservablePermission[];
  /** Services of which the principal used no granted permission, sorted. */
  unused_services: string[];
  /** 0 (grants match use) to 100 (everything granted is unused and the principal is idle). */
  score: number;
  score_inputs: ScoreInputs;
  recommendation: Recommendation;
  confidence: Confidence;
  /** Findings of the entitlements evaluation, unchanged. */
  findings: Finding[];
}

/** Scores and counts of the principals of one account or one team. */
export interface RightsizingGroupSummary {
  /** Account id or team name (`(none)` for principals with no team). */
  key: string;
  principals: number;
  active: number;
  inactive: number;
  never_used: number;
  /** Principals whose recommendation removes something (or the principal). */
  with_removals: number;
  /** Sum of `removes` lengths. */
  removable_permissions: number;
  mean_score: number;
  max_score: number;
}

/**
 * The configured window of an analysis and the span of the usage data seen: the first and
 * last event over all accounts (`null` without data) and the days of the window they cover.
 */
export interface SummaryWindow {
  start: number;
  end: number;
  days: number;
  first_event: number | null;
  last_event: number | null;
  days_observed: number;
}

/** Summary of one analysis: per account and per team. */
export interface RightsizingSummary {
  window: SummaryWindow;
  principals: number;
  accounts: RightsizingGroupSummary[];
  teams: RightsizingGroupSummary[];
}

/**
 * Ownership rules of a principal: the first tag or label among `tagKeys` (default `team`, `owner`),
 * else the team mapped to the principal's account.
 */
export interface OwnershipOptions {
  tagKeys?: readonly string[];
  accountTeams?: Readonly<Record<string, string>>;
}

/**
 * A role a recommendation may propose instead of a custom one: an Azure built-in role
 * (actions and data actions as patterns, lower-cased) or a GCP predefined role (exact
 * permissions). The export reader's catalog role (`roleCatalogFromExports`).
 */
export type CandidateRole = CatalogRole;

/** Options of `analyzeRightsizing`. */
export interface RightsizingOptions {
  /** End of the window (exclusive), in milliseconds since the Unix epoch. */
  windowEnd: number;
  /** Window length in days; default 90. */
  windowDays?: number;
  ownership?: OwnershipOptions;
  /**
   * Known Azure operations, lower-cased, that a partly used wildcard grant is expanded to, so
   * its unused operations can be removed one by one (see `azureOperationsFromExports`).
   * Operations any principal used in the usage data are added to them.
   */
  azureOperations?: { actions: readonly string[]; dataActions: readonly string[] };
  /** Azure built-in roles and GCP predefined roles to choose from. */
  candidateRoles?: readonly CandidateRole[];
  /**
   * GCP permission name to its custom role support level (see
   * `gcpCustomRoleSupportFromExports`). Without it, the GCP custom role is not checked for
   * permissions that custom roles do not support, and a note states that.
   */
  gcpCustomRoleSupport?: ReadonlyMap<string, GcpCustomRolesSupportLevel>;
  /**
   * Largest number of unused permissions an Azure built-in role or a GCP predefined role set
   * may add before a custom role of exactly the used permissions is preferred; default 10.
   */
  maxExtraPermissions?: number;
}
