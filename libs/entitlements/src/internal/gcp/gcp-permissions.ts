/**
 * GCP IAM permission records, as IAM v1 `permissions.queryTestablePermissions` returns them
 * (`{ "permissions": [Permission...], "nextPageToken": ... }`) and
 * `gcloud iam list-testable-permissions --format=json` writes them (an array of `Permission`).
 * Each carries `customRolesSupportLevel`, whether a custom role may include the permission.
 */

/**
 * Whether a custom role may include a permission (IAM v1 `Permission.CustomRolesSupportLevel`):
 * `SUPPORTED`, `TESTING` (still being tested for custom role use) or `NOT_SUPPORTED`.
 */
export type GcpCustomRolesSupportLevel = 'SUPPORTED' | 'TESTING' | 'NOT_SUPPORTED';

const SUPPORT_LEVELS: readonly string[] = ['SUPPORTED', 'TESTING', 'NOT_SUPPORTED'];

/** `service.resource.verb`, as IAM permission names are written (`storage.objects.get`). */
const PERMISSION_NAME = /^[a-z][a-z0-9]*(\.[A-Za-z0-9_-]+){2,}$/;

/** Fields of `Permission` besides `name`; a record needs one of them to count as one. */
const PERMISSION_FIELDS = [
  'customRolesSupportLevel',
  'title',
  'stage',
  'description',
  'apiDisabled',
  'primaryPermission',
  'onlyInPredefinedRoles',
];

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Returns true for an IAM v1 `Permission`: a `name` in permission form and at least one other
 * `Permission` field. Role definitions (`includedPermissions`) and policies never match.
 */
export function isGcpPermissionRecord(value: unknown): boolean {
  if (!isObject(value) || typeof value.name !== 'string') return false;
  if (!PERMISSION_NAME.test(value.name) || 'includedPermissions' in value) return false;
  return PERMISSION_FIELDS.some((field) => field in value);
}

/**
 * Returns true for a `permissions.queryTestablePermissions` response: an object whose
 * `permissions` is a non-empty array of `Permission` records. An Azure CLI role definition
 * also has `permissions`, but its entries hold `actions` and no permission name.
 */
export function isGcpPermissionsResponse(value: unknown): value is { permissions: unknown[] } {
  if (!isObject(value) || !Array.isArray(value.permissions)) return false;
  return value.permissions.length > 0 && value.permissions.every(isGcpPermissionRecord);
}

/**
 * Reads the support level of a `Permission` record. A record without the field is
 * `SUPPORTED`: that is the enum's default, which the JSON form leaves out ("Create and
 * manage custom roles", https://cloud.google.com/iam/docs/creating-custom-roles: permissions
 * without a `customRolesSupportLevel` field are fully supported). Returns `undefined` for a
 * value that is not one of the three levels.
 */
export function supportLevelOf(record: JsonObject): GcpCustomRolesSupportLevel | undefined {
  const level = record.customRolesSupportLevel;
  if (level === undefined) return 'SUPPORTED';
  return typeof level === 'string' && SUPPORT_LEVELS.includes(level)
    ? (level as GcpCustomRolesSupportLevel)
    : undefined;
}
