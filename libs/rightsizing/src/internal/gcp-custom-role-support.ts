import type { GcpCustomRolesSupportLevel } from '@ciem/entitlements';
import { compareText } from './analyze.js';

/**
 * The permissions a GCP custom role should contain, split by their custom role support level
 * (IAM v1 `Permission.customRolesSupportLevel`). Each list is sorted.
 */
export interface CustomRoleSupportSplit {
  /** Permissions the custom role includes: every one except `notSupported`. */
  included: string[];
  /** `NOT_SUPPORTED`: creating a custom role that includes one fails. */
  notSupported: string[];
  /** `TESTING`: included, but still being tested for custom role use. */
  testing: string[];
  /** Permissions the support levels do not name: included unchecked. */
  unlisted: string[];
  /** False when no support levels were given, so nothing was checked. */
  checked: boolean;
}

/**
 * Splits the permissions of a custom role by support level. "Create and manage custom
 * roles" (https://cloud.google.com/iam/docs/creating-custom-roles) lists the permissions
 * available to custom roles with `customRolesSupportLevel!=NOT_SUPPORTED`, so `TESTING`
 * permissions stay in the role and only `NOT_SUPPORTED` ones are taken out.
 *
 * NOTE: the levels are those of the collected scope. A permission usable only on
 * organizations passes here, but the same page states that a project-level custom role cannot
 * include it, so such a role must be created in the organization.
 */
export function splitByCustomRoleSupport(
  permissions: Iterable<string>,
  levels: ReadonlyMap<string, GcpCustomRolesSupportLevel> | undefined,
): CustomRoleSupportSplit {
  const sorted = [...new Set(permissions)].sort(compareText);
  if (levels === undefined || levels.size === 0) {
    return { included: sorted, notSupported: [], testing: [], unlisted: [], checked: false };
  }
  const split: CustomRoleSupportSplit = {
    included: [],
    notSupported: [],
    testing: [],
    unlisted: [],
    checked: true,
  };
  for (const permission of sorted) {
    const level = levels.get(permission);
    if (level === 'NOT_SUPPORTED') {
      split.notSupported.push(permission);
      continue;
    }
    split.included.push(permission);
    if (level === 'TESTING') split.testing.push(permission);
    else if (level === undefined) split.unlisted.push(permission);
  }
  return split;
}

/**
 * Writes the notes a user needs before creating the custom role: that nothing was checked,
 * or which permissions are `TESTING` or have no known level. Notes about `NOT_SUPPORTED`
 * permissions depend on the predefined roles that cover them, so the caller writes those.
 */
export function customRoleSupportNotes(split: CustomRoleSupportSplit): string[] {
  if (!split.checked) {
    return [
      'The GCP export has no customRolesSupportLevel of any permission (IAM permissions.queryTestablePermissions, or gcloud iam list-testable-permissions), so the custom role was not checked for permissions that custom roles do not support. Creating it fails if it includes one; collect the support levels with the export to have them left out.',
    ];
  }
  const notes: string[] = [];
  if (split.testing.length > 0) {
    notes.push(
      `These permissions have customRolesSupportLevel TESTING, which means Google is still testing them for custom role use, so the custom role may not work as expected with them: ${split.testing.join(', ')}. Test the role before relying on it, or grant them through a predefined role.`,
    );
  }
  if (split.unlisted.length > 0) {
    notes.push(
      `The export gives no customRolesSupportLevel for these permissions, so their support in custom roles was not checked: ${split.unlisted.join(', ')}.`,
    );
  }
  return notes;
}
