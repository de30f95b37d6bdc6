import type { Finding, FindingSeverity } from '../model/entitlements.js';
import { azureBlockGrants, azureRoleGrants } from './azure-actions.js';
import type { AzureRoleAssignment, AzureRoleDefinition } from './azure-records.js';
import { isSubscriptionOrAbove, normalizeAzureScope } from './azure-scope.js';

/** How a principal holds a role: directly, or through the chain of groups in `groups`. */
export interface AzureAssignmentPath {
  readonly assignment: AzureRoleAssignment;
  /** The definition, or `undefined` when the export lacks it (no findings then). */
  readonly definition: AzureRoleDefinition | undefined;
  /** Groups from the principal up to the assignee: empty for a direct assignment. */
  readonly groups: readonly string[];
}

// Operations that let a principal widen its own access (Azure RBAC documentation,
// "Azure permissions for Identity"): create role assignments, change a role definition
// it holds, and raise a Global Administrator to User Access Administrator at root scope.
const ASSIGN_ROLES = 'microsoft.authorization/roleassignments/write';
const WRITE_ROLE_DEFINITIONS = 'microsoft.authorization/roledefinitions/write';
const ELEVATE_ACCESS = 'microsoft.authorization/elevateaccess/action';

const LOWER: Readonly<Record<FindingSeverity, FindingSeverity>> = {
  critical: 'high',
  high: 'medium',
  medium: 'low',
  low: 'low',
};

/**
 * Finds the admin-equivalent and privilege-escalation risks of one principal's role
 * assignments, with the path from the principal through its groups to the scope:
 *
 * - admin-equivalent: `*` at subscription scope or above (critical when it includes
 *   role assignment writes, as Owner does; high otherwise, as for Contributor), or role
 *   assignment writes at subscription scope or above (User Access Administrator);
 * - privilege-escalation: role assignment writes or role definition writes below
 *   subscription scope, and `elevateAccess/action` when the role names it outright.
 *
 * An assignment with an ABAC condition lowers the severity one step, because the condition
 * may restrict what the principal can assign. Deny assignments are not considered.
 */
export function findAzureRisks(
  principalId: string,
  paths: readonly AzureAssignmentPath[],
): Finding[] {
  const findings: Finding[] = [];
  for (const { assignment, definition, groups } of paths) {
    if (definition === undefined) continue;
    const scope = normalizeAzureScope(assignment.scope);
    const conditional = assignment.condition !== undefined;
    const via = groups.length === 0 ? '' : ` through group ${groups[groups.length - 1]}`;
    const under = conditional ? ' under an ABAC condition' : '';
    const role = `${definition.roleName} at ${scope}${via}${under}`;
    const step = (permission: string, target = scope): string[] => [
      principalId,
      ...groups,
      permission,
      target,
    ];
    const add = (
      kind: Finding['kind'],
      severity: FindingSeverity,
      summary: string,
      path: string[],
    ) => {
      findings.push({
        kind,
        severity: conditional ? LOWER[severity] : severity,
        summary,
        path,
      });
    };

    const canAssign = azureRoleGrants(definition, ASSIGN_ROLES);
    const holdsEverything = definition.permissions.some((block) =>
      block.actions.some((action) => action.trim() === '*'),
    );
    const topScope = isSubscriptionOrAbove(scope);

    if (topScope && holdsEverything) {
      add(
        'admin-equivalent',
        canAssign ? 'critical' : 'high',
        canAssign
          ? `holds every operation, role assignments included, as ${role}`
          : `holds every operation except those its role excludes, as ${role}`,
        step('*'),
      );
    } else if (topScope && canAssign) {
      add(
        'admin-equivalent',
        'critical',
        `can assign any role, Owner included, as ${role}`,
        step(ASSIGN_ROLES),
      );
    } else if (canAssign) {
      add(
        'privilege-escalation',
        'high',
        `can assign roles at ${scope} to itself or others, as ${role}`,
        step(ASSIGN_ROLES),
      );
    }

    if (!canAssign && azureRoleGrants(definition, WRITE_ROLE_DEFINITIONS)) {
      add(
        'privilege-escalation',
        'high',
        `can change role definitions, including roles it holds, as ${role}`,
        step(WRITE_ROLE_DEFINITIONS),
      );
    }
    // Wildcards such as `*` and `Microsoft.Authorization/*` match elevateAccess too, but
    // the operation succeeds only for Entra Global Administrators, so only a role that
    // names it outright is reported.
    const namesElevate = definition.permissions.some(
      (block) =>
        azureBlockGrants(block, ELEVATE_ACCESS) &&
        block.actions.some((action) =>
          action.trim().toLowerCase().startsWith('microsoft.authorization/elevateaccess/'),
        ),
    );
    if (namesElevate) {
      add(
        'privilege-escalation',
        'critical',
        `can elevate to User Access Administrator at root scope, as ${role}`,
        step(ELEVATE_ACCESS, '/'),
      );
    }
  }
  return findings;
}
