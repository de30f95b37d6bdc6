/**
 * Typed Azure RBAC records read from the two shapes exports come in: the flat objects of
 * the Azure CLI (`az role assignment list --all`, `az role definition list`) and the ARM
 * REST objects, whose fields sit under `properties` (Microsoft.Authorization REST API,
 * `RoleAssignment`, `RoleDefinition`, `DenyAssignment`, version 2022-04-01).
 */

/** Plain JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a non-null, non-array object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One `permissions[]` block of a role definition or deny assignment. */
export interface AzurePermissionBlock {
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly dataActions: readonly string[];
  readonly notDataActions: readonly string[];
}

/** A role assignment: a principal holds a role definition at a scope. */
export interface AzureRoleAssignment {
  /** Full resource id of the assignment, or its name when the export gives no id. */
  readonly id: string;
  /** Entra ID object id, lower-cased. */
  readonly principalId: string;
  /** `User`, `Group`, `ServicePrincipal`, `ForeignGroup`, `Device`, or empty when absent. */
  readonly principalType: string;
  /** Display name, UPN or app id when the CLI export gives `principalName`. */
  readonly principalName: string;
  /** The role definition id as given, a full resource id or a bare GUID. */
  readonly roleDefinitionId: string;
  /** Last segment of `roleDefinitionId`, lower-cased: the key role definitions are found by. */
  readonly roleDefinitionKey: string;
  /** Role name when the CLI export gives `roleDefinitionName`. */
  readonly roleDefinitionName: string;
  readonly scope: string;
  /** ABAC condition expression (Azure RBAC conditions), when the assignment has one. */
  readonly condition?: string;
  readonly conditionVersion?: string;
  /** File the assignment was read from. */
  readonly source: string;
  /** File and record the assignment was read from. */
  readonly origin: string;
}

/** A built-in or custom role definition. */
export interface AzureRoleDefinition {
  /** The role definition's GUID (`name`), lower-cased. */
  readonly key: string;
  readonly id: string;
  readonly roleName: string;
  /** `BuiltInRole` or `CustomRole`. */
  readonly roleType: string;
  readonly permissions: readonly AzurePermissionBlock[];
  readonly assignableScopes: readonly string[];
}

/** A deny assignment: the listed principals may not perform the listed operations at a scope. */
export interface AzureDenyAssignment {
  readonly id: string;
  readonly name: string;
  readonly scope: string;
  /** Object ids denied; the all-principals id `00000000-0000-0000-0000-000000000000` means everyone. */
  readonly principalIds: readonly string[];
  readonly excludePrincipalIds: readonly string[];
  readonly permissions: readonly AzurePermissionBlock[];
  /** True when the deny stops at its scope and leaves child scopes alone. */
  readonly doNotApplyToChildScopes: boolean;
}

/** The result of reading one record: the value, or what is wrong with it. */
export type RecordResult<T> = { ok: true; value: T } | { ok: false; field: string; reason: string };

/** Returns `properties` when the record is an ARM REST object, else the record itself. */
export function armProperties(record: JsonObject): JsonObject {
  const properties = record.properties;
  return isObject(properties) ? properties : record;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === 'string' && item.trim() !== '');
}

/** Returns the last `/` segment of an id, lower-cased: role definition ids end in the GUID. */
export function lastSegment(id: string): string {
  const trimmed = id.trim().replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1).toLowerCase();
}

function permissionBlocks(value: unknown): AzurePermissionBlock[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((block) => ({
    actions: stringList(block.actions),
    notActions: stringList(block.notActions),
    dataActions: stringList(block.dataActions),
    notDataActions: stringList(block.notDataActions),
  }));
}

/** True when a record looks like a role assignment in either shape. */
export function isRoleAssignmentRecord(record: JsonObject): boolean {
  const properties = armProperties(record);
  if ('denyAssignmentName' in properties) return false;
  if (record.type === 'Microsoft.Authorization/roleAssignments') return true;
  return (
    'roleDefinitionId' in properties &&
    ('principalId' in properties || 'principalType' in properties)
  );
}

/** True when a record looks like a role definition in either shape. */
export function isRoleDefinitionRecord(record: JsonObject): boolean {
  const properties = armProperties(record);
  return 'roleName' in properties && 'permissions' in properties;
}

/** True when a record looks like a deny assignment in either shape. */
export function isDenyAssignmentRecord(record: JsonObject): boolean {
  const properties = armProperties(record);
  return (
    'denyAssignmentName' in properties || record.type === 'Microsoft.Authorization/denyAssignments'
  );
}

/** Reads a role assignment from an `az role assignment list` object or an ARM REST object. */
export function readRoleAssignment(
  record: JsonObject,
  source: string,
  origin: string,
): RecordResult<AzureRoleAssignment> {
  const properties = armProperties(record);
  const prefix = properties === record ? '' : 'properties.';
  const principalId = text(properties.principalId).trim().toLowerCase();
  if (principalId === '') {
    return { ok: false, field: `${prefix}principalId`, reason: 'a non-empty object id' };
  }
  const roleDefinitionId = text(properties.roleDefinitionId).trim();
  if (roleDefinitionId === '') {
    return { ok: false, field: `${prefix}roleDefinitionId`, reason: 'a role definition id' };
  }
  const scope = text(properties.scope).trim();
  if (!scope.startsWith('/')) {
    return { ok: false, field: `${prefix}scope`, reason: 'a scope starting with "/"' };
  }
  const condition = text(properties.condition).trim();
  const conditionVersion = text(properties.conditionVersion).trim();
  const id = text(record.id) || text(record.name) || `${scope}#${principalId}#${roleDefinitionId}`;
  return {
    ok: true,
    value: {
      id,
      principalId,
      principalType: text(properties.principalType),
      principalName: text(properties.principalName) || text(properties.principalDisplayName),
      roleDefinitionId,
      roleDefinitionKey: lastSegment(roleDefinitionId),
      roleDefinitionName: text(properties.roleDefinitionName),
      scope,
      ...(condition === '' ? {} : { condition }),
      ...(conditionVersion === '' ? {} : { conditionVersion }),
      source,
      origin,
    },
  };
}

/** Reads a role definition from an `az role definition list` object or an ARM REST object. */
export function readRoleDefinition(record: JsonObject): RecordResult<AzureRoleDefinition> {
  const properties = armProperties(record);
  const prefix = properties === record ? '' : 'properties.';
  const roleName = text(properties.roleName).trim();
  if (roleName === '') return { ok: false, field: `${prefix}roleName`, reason: 'a role name' };
  if (!Array.isArray(properties.permissions)) {
    return { ok: false, field: `${prefix}permissions`, reason: 'an array of permission blocks' };
  }
  // The CLI puts the GUID in `name`; REST objects have it in `name` too, and the full id
  // in `id`. Some exports give only `id`.
  const id = text(record.id);
  const key = (text(record.name) || lastSegment(id)).toLowerCase();
  if (key === '') return { ok: false, field: 'name', reason: 'the role definition GUID' };
  return {
    ok: true,
    value: {
      key,
      id: id || key,
      roleName,
      roleType: text(properties.roleType) || text(properties.type),
      permissions: permissionBlocks(properties.permissions),
      assignableScopes: stringList(properties.assignableScopes),
    },
  };
}

/** Reads a deny assignment (ARM REST `DenyAssignment`, or the same fields flat). */
export function readDenyAssignment(record: JsonObject): RecordResult<AzureDenyAssignment> {
  const properties = armProperties(record);
  const prefix = properties === record ? '' : 'properties.';
  const scope = text(properties.scope).trim();
  if (!scope.startsWith('/')) {
    return { ok: false, field: `${prefix}scope`, reason: 'a scope starting with "/"' };
  }
  const principalIds = (Array.isArray(properties.principals) ? properties.principals : [])
    .filter(isObject)
    .map((principal) => text(principal.id).toLowerCase())
    .filter((id) => id !== '');
  if (principalIds.length === 0) {
    return { ok: false, field: `${prefix}principals`, reason: 'at least one principal with an id' };
  }
  const excludePrincipalIds = (
    Array.isArray(properties.excludePrincipals) ? properties.excludePrincipals : []
  )
    .filter(isObject)
    .map((principal) => text(principal.id).toLowerCase())
    .filter((id) => id !== '');
  return {
    ok: true,
    value: {
      id: text(record.id) || text(record.name),
      name: text(properties.denyAssignmentName) || text(record.name),
      scope,
      principalIds,
      excludePrincipalIds,
      permissions: permissionBlocks(properties.permissions),
      doNotApplyToChildScopes: properties.doNotApplyToChildScopes === true,
    },
  };
}
