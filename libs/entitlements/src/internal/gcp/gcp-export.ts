import type { ExportDocument, ExportProblem } from '../snapshot/export-documents.js';
import { ExportProblemCode, recordPosition } from '../snapshot/export-documents.js';
import { parseGcpMember } from './gcp-members.js';
import type { GcpCustomRolesSupportLevel } from './gcp-permissions.js';
import {
  isGcpPermissionRecord,
  isGcpPermissionsResponse,
  supportLevelOf,
} from './gcp-permissions.js';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A binding's IAM condition (`Expr`: CEL expression with optional title and description). */
export interface GcpCondition {
  readonly expression: string;
  readonly title?: string;
  readonly description?: string;
}

/** One `bindings[]` entry of an IAM policy. */
export interface GcpBinding {
  readonly role: string;
  readonly members: readonly string[];
  readonly condition?: GcpCondition;
}

/** The IAM policy set on one resource. */
export interface GcpPolicy {
  /** Full resource name, such as `//cloudresourcemanager.googleapis.com/projects/123`. */
  readonly resource: string;
  /** Cloud Asset Inventory asset type, or empty when the export does not give it. */
  readonly assetType: string;
  readonly bindings: readonly GcpBinding[];
  /** Full names of the resource's ancestors, nearest first, itself excluded. */
  readonly ancestors: readonly string[];
  /** File the policy was read from. */
  readonly source: string;
  /** File and record the policy was read from. */
  readonly origin: string;
}

/** A predefined or custom role (`gcloud iam roles describe` output). */
export interface GcpRoleDefinition {
  /** `roles/<id>`, `projects/<project>/roles/<id>` or `organizations/<org>/roles/<id>`. */
  readonly name: string;
  readonly title: string;
  /** `GA`, `BETA`, `ALPHA`, `DEPRECATED`, `DISABLED`, `EAP`, or empty. */
  readonly stage: string;
  readonly includedPermissions: readonly string[];
}

/** Everything read from a set of GCP exports, sorted into kinds. */
export interface GcpExport {
  readonly policies: GcpPolicy[];
  /** Role definitions by name. */
  readonly roles: Map<string, GcpRoleDefinition>;
  /** Full resource name to its parent's full name, from resource exports and `ancestors`. */
  readonly parents: Map<string, string>;
  /** Project id to project number, from resource exports; convenience members use ids. */
  readonly projectNumbers: Map<string, string>;
  /** Group member id (`group:x@example.com`) to its direct members' ids. */
  readonly groupMembers: Map<string, Set<string>>;
  /**
   * Permission name to its custom role support level, from `queryTestablePermissions`
   * records; empty when the export has none.
   */
  readonly permissionSupport: Map<string, GcpCustomRolesSupportLevel>;
  readonly problems: ExportProblem[];
}

const RESOURCE_MANAGER = '//cloudresourcemanager.googleapis.com/';

/**
 * Returns the full resource name of a relative Resource Manager name
 * (`projects/p`, `folders/1`, `organizations/2`); other names are returned trimmed.
 */
export function toFullResourceName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.startsWith('//')) return trimmed;
  if (/^(projects|folders|organizations)\/[^/]+$/.test(trimmed)) {
    return `${RESOURCE_MANAGER}${trimmed}`;
  }
  return trimmed;
}

/** Returns an empty export, to be filled by `readGcpExports`. */
export function emptyGcpExport(): GcpExport {
  return {
    policies: [],
    roles: new Map(),
    parents: new Map(),
    projectNumbers: new Map(),
    groupMembers: new Map(),
    permissionSupport: new Map(),
    problems: [],
  };
}

/**
 * Sorts GCP export documents into IAM policies, role definitions, the resource hierarchy
 * and group members. Accepted shapes, as arrays, NDJSON lines or single objects:
 *
 * - Cloud Asset Inventory IAM policy assets, snake_case (`asset_type`, `iam_policy`) as
 *   `gcloud asset export` writes them, or camelCase (`assetType`, `iamPolicy`) as the API
 *   returns them, with optional `ancestors`;
 * - `getIamPolicy` results wrapped as `{ "resource": "projects/p", "policy": {...} }`;
 * - role definitions (`gcloud iam roles describe` / `list` output) and Cloud Asset
 *   Inventory `iam.googleapis.com/Role` resource assets;
 * - Cloud Asset Inventory resource assets, for `resource.parent` and project numbers;
 * - IAM `Permission` records with their `customRolesSupportLevel`, as
 *   `permissions.queryTestablePermissions` responses or `gcloud iam list-testable-permissions`
 *   output;
 * - group members as `{ "group:g@example.com": ["user:a@example.com", ...] }` or
 *   `{ "group": "g@example.com", "members": [...] }`.
 */
export function readGcpExports(
  documents: Iterable<ExportDocument>,
  into: GcpExport = emptyGcpExport(),
): GcpExport {
  for (const document of documents) {
    if (Array.isArray(document.value)) {
      document.value.forEach((item, index) => readRecord(document, item, index, into));
    } else {
      readRecord(document, document.value, undefined, into);
    }
  }
  return into;
}

function readRecord(
  document: ExportDocument,
  record: unknown,
  index: number | undefined,
  into: GcpExport,
): void {
  const position = recordPosition(document, index);
  const fail = (code: string, field: string, message: string): void => {
    into.problems.push({ code, source: document.source, record: position, field, message });
  };
  if (!isObject(record)) {
    fail(
      ExportProblemCode.invalidRecord,
      '',
      `${document.source} ${position} is ${Array.isArray(record) ? 'an array' : typeof record}: expected a JSON object; the record was skipped`,
    );
    return;
  }

  const iamPolicy = record.iam_policy ?? record.iamPolicy;
  if (iamPolicy !== undefined || isObject(record.policy)) {
    const name = typeof record.name === 'string' ? record.name : record.resource;
    if (typeof name !== 'string' || name.trim() === '') {
      fail(
        ExportProblemCode.invalidRecord,
        iamPolicy === undefined ? 'resource' : 'name',
        `${document.source} ${position} has an IAM policy but no resource name: expected "name" (asset exports) or "resource" (getIamPolicy wrapper); the policy was skipped`,
      );
      return;
    }
    readPolicy(document, position, record, name, iamPolicy ?? record.policy, into, fail);
    return;
  }
  if (typeof record.name === 'string' && Array.isArray(record.includedPermissions)) {
    addRole(record, into);
    return;
  }
  if (isGcpPermissionsResponse(record)) {
    record.permissions.forEach((permission, permissionIndex) =>
      addPermissionSupport(
        document,
        `${position}.permissions[${permissionIndex}]`,
        permission,
        into,
      ),
    );
    return;
  }
  if (isGcpPermissionRecord(record)) {
    addPermissionSupport(document, position, record, into);
    return;
  }
  const resource = record.resource;
  if (isObject(resource) && typeof record.name === 'string') {
    readResourceAsset(record.name, record.asset_type ?? record.assetType, resource, into);
    return;
  }
  if (readGroupMembers(record, into)) return;
  fail(
    ExportProblemCode.unknownRecord,
    '',
    `${document.source} ${position} is not a GCP IAM policy, role, resource asset or group membership; received keys ${Object.keys(record).slice(0, 8).join(', ')}`,
  );
}

function readPolicy(
  document: ExportDocument,
  position: string,
  record: JsonObject,
  name: string,
  policy: unknown,
  into: GcpExport,
  fail: (code: string, field: string, message: string) => void,
): void {
  const resource = toFullResourceName(name);
  const rawBindings = isObject(policy) ? policy.bindings : undefined;
  if (rawBindings !== undefined && !Array.isArray(rawBindings)) {
    fail(
      ExportProblemCode.invalidRecord,
      'iam_policy.bindings',
      `${document.source} ${position} field bindings of ${resource} is not an array; the policy was skipped`,
    );
    return;
  }
  const bindings: GcpBinding[] = [];
  (rawBindings ?? []).forEach((binding: unknown, bindingIndex: number) => {
    const field = `bindings[${bindingIndex}]`;
    if (!isObject(binding) || typeof binding.role !== 'string' || binding.role.trim() === '') {
      fail(
        ExportProblemCode.invalidRecord,
        `${field}.role`,
        `${document.source} ${position} ${field} of ${resource} has no role: expected a role name such as "roles/viewer"; the binding was skipped`,
      );
      return;
    }
    const members = Array.isArray(binding.members)
      ? binding.members.filter((member): member is string => typeof member === 'string')
      : [];
    const condition = isObject(binding.condition) ? binding.condition : undefined;
    const expression =
      condition !== undefined && typeof condition.expression === 'string'
        ? condition.expression
        : undefined;
    bindings.push({
      role: binding.role.trim(),
      members,
      ...(expression === undefined
        ? {}
        : {
            condition: {
              expression,
              ...(typeof condition?.title === 'string' ? { title: condition.title } : {}),
              ...(typeof condition?.description === 'string'
                ? { description: condition.description }
                : {}),
            },
          }),
    });
  });

  const ancestors = (Array.isArray(record.ancestors) ? record.ancestors : [])
    .filter((ancestor): ancestor is string => typeof ancestor === 'string')
    .map(toFullResourceName)
    .filter((ancestor) => ancestor !== resource);
  // `ancestors` lists the resource's project, folders and organization, nearest first
  // (Cloud Asset Inventory, "Asset" message); each step is a parent link.
  let child = resource;
  for (const ancestor of ancestors) {
    if (!into.parents.has(child)) into.parents.set(child, ancestor);
    child = ancestor;
  }
  into.policies.push({
    resource,
    assetType: String(record.asset_type ?? record.assetType ?? ''),
    bindings,
    ancestors,
    source: document.source,
    origin: `${document.source} ${position}`,
  });
}

function addRole(record: JsonObject, into: GcpExport): void {
  const name = String(record.name).trim();
  into.roles.set(name, {
    name,
    title: typeof record.title === 'string' ? record.title : '',
    stage: typeof record.stage === 'string' ? record.stage : '',
    includedPermissions: (record.includedPermissions as unknown[]).filter(
      (permission): permission is string => typeof permission === 'string',
    ),
  });
}

function addPermissionSupport(
  document: ExportDocument,
  position: string,
  permission: unknown,
  into: GcpExport,
): void {
  if (!isObject(permission) || typeof permission.name !== 'string') return;
  const level = supportLevelOf(permission);
  if (level === undefined) {
    into.problems.push({
      code: ExportProblemCode.invalidRecord,
      source: document.source,
      record: position,
      field: 'customRolesSupportLevel',
      message: `${document.source} ${position} permission ${permission.name} has customRolesSupportLevel ${JSON.stringify(permission.customRolesSupportLevel).slice(0, 40)}: expected SUPPORTED, TESTING or NOT_SUPPORTED; its support level is left unknown`,
    });
    return;
  }
  into.permissionSupport.set(permission.name, level);
}

function readResourceAsset(
  name: string,
  assetType: unknown,
  resource: JsonObject,
  into: GcpExport,
): void {
  const data = isObject(resource.data) ? resource.data : {};
  if (assetType === 'iam.googleapis.com/Role' && Array.isArray(data.includedPermissions)) {
    addRole(data, into);
  }
  if (typeof resource.parent === 'string' && resource.parent !== '') {
    into.parents.set(toFullResourceName(name), toFullResourceName(resource.parent));
  }
  if (
    assetType === 'cloudresourcemanager.googleapis.com/Project' &&
    typeof data.projectId === 'string' &&
    typeof data.projectNumber === 'string'
  ) {
    into.projectNumbers.set(data.projectId, data.projectNumber);
  }
}

function addMembers(into: GcpExport, group: string, members: readonly unknown[]): void {
  const groupId = parseGcpMember(group.includes(':') ? group : `group:${group}`)?.id;
  if (groupId === undefined) return;
  const set = into.groupMembers.get(groupId) ?? new Set<string>();
  for (const member of members) {
    if (typeof member !== 'string') continue;
    const parsed = parseGcpMember(member);
    if (parsed !== undefined) set.add(parsed.id);
  }
  into.groupMembers.set(groupId, set);
}

function readGroupMembers(record: JsonObject, into: GcpExport): boolean {
  if (typeof record.group === 'string' && Array.isArray(record.members)) {
    addMembers(into, record.group, record.members);
    return true;
  }
  const entries = Object.entries(record);
  const isMap =
    entries.length > 0 &&
    entries.every(([key, members]) => key.startsWith('group:') && Array.isArray(members));
  if (!isMap) return false;
  for (const [group, members] of entries) addMembers(into, group, members as unknown[]);
  return true;
}
