/**
 * Converts the SDK's flattened models back to the ARM REST form (Microsoft.Authorization
 * REST API: `RoleAssignment` 2022-04-01, `RoleDefinition` and `DenyAssignment` 2022-04-01),
 * where every field but `id`, `name` and `type` sits under `properties`. The SDK renames
 * the role definition's `properties.type` to `roleType`; the REST name is restored. A JSON
 * round trip turns `Date` fields into ISO 8601 strings and drops undefined fields.
 */
import type { DenyAssignment, RoleAssignment, RoleDefinition } from '@azure/arm-authorization';

/** An ARM resource in REST form. */
export interface ArmResource {
  readonly id?: string;
  readonly name?: string;
  readonly type?: string;
  readonly properties: Record<string, unknown>;
}

function toJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Returns a role assignment in REST form. */
export function restRoleAssignment(model: RoleAssignment): ArmResource {
  const { id, name, type, ...properties } = model;
  return toJson({ id, name, type, properties });
}

/** Returns a role definition in REST form, with `roleType` back as `properties.type`. */
export function restRoleDefinition(model: RoleDefinition): ArmResource {
  const { id, name, type, roleType, ...rest } = model;
  return toJson({ id, name, type, properties: { ...rest, type: roleType } });
}

/** Returns a deny assignment in REST form. */
export function restDenyAssignment(model: DenyAssignment): ArmResource {
  const { id, name, type, ...properties } = model;
  return toJson({ id, name, type, properties });
}
