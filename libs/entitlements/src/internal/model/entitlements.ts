/**
 * The serializable, method-free form of granted permissions: what the `ciem.entitlements`
 * topic, the ClickHouse `entitlements` table and snapshot files carry. Field names use the
 * snake_case of the NormalizedEvent schema so a principal joins with its events on
 * `principal_id`.
 */

/** Cloud provider of an entitlement snapshot. */
export type EntitlementProvider = 'aws' | 'azure' | 'gcp';

/**
 * One permission a principal holds on a resource pattern.
 *
 * - `permission`: AWS `service:Action` in the catalog's canonical case (`s3:GetObject`), Azure
 *   operation lower-cased (`microsoft.compute/virtualmachines/read`), GCP permission as is
 *   (`storage.objects.get`).
 * - `resource`: an ARN pattern (`arn:aws:s3:::bucket/*`, `*`), an Azure scope
 *   (`/subscriptions/<id>/resourceGroups/<name>`) or a GCP resource name
 *   (`//cloudresourcemanager.googleapis.com/projects/<id>`). An AWS grant from a statement
 *   with `NotResource` carries `resource: '*'` and `conditional: true`, with the excluded
 *   patterns in `conditions` under `"NotResource"`.
 * - `conditional`: the grant holds only under a condition, or is partly removed by a deny
 *   whose resource or condition only partly overlaps it.
 * - `conditions`: JSON text of what the grant depends on. For AWS it is an object with
 *   `Condition` (the Allow statement's block), `NotResource` (excluded patterns) and
 *   `LimitedBy` (the denies, boundaries and SCPs that only partly apply, each with `kind`,
 *   `effect`, `via` and its `Resource`, `NotResource` and `Condition`). For Azure and GCP it
 *   is the role assignment or binding condition.
 * - `via`: where the grant comes from: an AWS policy ARN, `inline:<policy name>` or, for a
 *   group's inline policy, `inline:<group name>/<policy name>`; an Azure role assignment id;
 *   a GCP binding `role@resource`.
 * - `data_action`: true for Azure `dataActions` (and GCP data-access permissions where known).
 */
export interface Grant {
  permission: string;
  resource: string;
  conditional: boolean;
  conditions?: string;
  via: string;
  data_action?: boolean;
}

/** Kind of risk a finding reports. */
export type FindingKind =
  'admin-equivalent' | 'privilege-escalation' | 'public-exposure' | 'cross-account-exposure';

/** Severity of a finding, highest first. */
export type FindingSeverity = 'critical' | 'high' | 'medium' | 'low';

/**
 * A risk found in a principal's grants or trust. `path` lists the steps in order, starting
 * with the principal. Principal and resource ids follow each other where one assumes or
 * reaches the next (`[userA, roleB, adminRoleC]` for a role chain). A step that uses
 * permissions is its own entry naming them, joined by `+` when several are needed, for
 * example `[userA, 'iam:PassRole+ec2:RunInstances', roleB]`.
 */
export interface Finding {
  kind: FindingKind;
  severity: FindingSeverity;
  summary: string;
  path: string[];
}

/**
 * Everything one principal is granted, in serializable form.
 *
 * - `principal_id`: IAM user or role ARN, Azure object id, GCP member (`user:x`,
 *   `serviceAccount:x`), the same id as NormalizedEvent `principal.id`.
 * - `principal_type`: `user`, `role`, `group`, `service-principal`, `service-account` and
 *   so on, as the provider names the kind.
 * - `tags`: ownership and other labels (AWS tags, Azure and GCP labels).
 */
export interface PrincipalEntitlements {
  provider: EntitlementProvider;
  account_id: string;
  principal_id: string;
  principal_type: string;
  principal_name: string;
  tags: Record<string, string>;
  grants: Grant[];
  findings: Finding[];
}

/**
 * Granted permissions of every principal of one account (AWS account, Azure subscription,
 * GCP project) at one time. `taken_at` is in milliseconds since the Unix epoch. A large
 * snapshot is written with `streamSnapshotJson`, one principal at a time.
 */
export interface EntitlementSnapshot {
  taken_at: number;
  provider: EntitlementProvider;
  account_id: string;
  principals: PrincipalEntitlements[];
}
