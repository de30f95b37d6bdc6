import type { ExportDocument, ExportProblem } from '../snapshot/export-documents.js';
import { ExportProblemCode, recordPosition } from '../snapshot/export-documents.js';
import type {
  AzureDenyAssignment,
  AzureRoleAssignment,
  AzureRoleDefinition,
  JsonObject,
  RecordResult,
} from './azure-records.js';
import {
  isDenyAssignmentRecord,
  isObject,
  isRoleAssignmentRecord,
  isRoleDefinitionRecord,
  readDenyAssignment,
  readRoleAssignment,
  readRoleDefinition,
} from './azure-records.js';

/** A directory object named in a group membership export. */
export interface AzureDirectoryObject {
  /** `User`, `Group` or `ServicePrincipal`, as role assignments spell `principalType`. */
  readonly type: string;
  readonly name: string;
}

/** An Azure provider operation from `az provider operation list`. */
export interface AzureOperation {
  /** Lower-cased operation name, such as `microsoft.compute/virtualmachines/read`. */
  readonly name: string;
  readonly isDataAction: boolean;
}

/**
 * Everything read from a set of Azure exports, sorted into kinds. Documents may come in
 * any order and mix kinds, because `readAzureExports` sorts them by their fields.
 */
export interface AzureExport {
  readonly roleAssignments: AzureRoleAssignment[];
  readonly roleDefinitions: AzureRoleDefinition[];
  readonly denyAssignments: AzureDenyAssignment[];
  /** Group object id (lower-cased) to the object ids of its direct members. */
  readonly groupMembers: Map<string, Set<string>>;
  /** Object id (lower-cased) to type and name, from Microsoft Graph member exports. */
  readonly directoryObjects: Map<string, AzureDirectoryObject>;
  readonly operations: AzureOperation[];
  readonly problems: ExportProblem[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Microsoft Graph `GET /groups/{id}/members` pages name the group in `@odata.context`,
// as `.../$metadata#groups('<id>')/members` or `.../groups/<id>/members`.
const GRAPH_MEMBERS_CONTEXT = /groups(?:\('|\/)([0-9a-f-]{36})(?:'\))?\/(?:transitive)?members/i;

const GRAPH_TYPES: Readonly<Record<string, string>> = {
  '#microsoft.graph.user': 'User',
  '#microsoft.graph.group': 'Group',
  '#microsoft.graph.serviceprincipal': 'ServicePrincipal',
  '#microsoft.graph.device': 'Device',
  '#microsoft.graph.orgcontact': 'Contact',
};

/** Returns an empty export, to be filled by `readAzureExports`. */
export function emptyAzureExport(): AzureExport {
  return {
    roleAssignments: [],
    roleDefinitions: [],
    denyAssignments: [],
    groupMembers: new Map(),
    directoryObjects: new Map(),
    operations: [],
    problems: [],
  };
}

/**
 * Sorts Azure export documents into role assignments, role definitions, deny assignments,
 * group members and provider operations. Accepted shapes:
 *
 * - arrays of records (`az ... list` output) and ARM REST pages `{ "value": [...] }`, also
 *   wrapped as in the REST API examples (`responses["200"].body`);
 * - group members as `{ "<group id>": ["<member id>", ...] }`, as `{ "groupId": "<id>",
 *   "members": [...] }`, or as a Microsoft Graph `GET /groups/{id}/members` page;
 * - provider operations as `az provider operation list` output.
 *
 * A record that cannot be read becomes a problem naming its file, position and field; the
 * rest is still read.
 */
export function readAzureExports(
  documents: Iterable<ExportDocument>,
  into: AzureExport = emptyAzureExport(),
): AzureExport {
  for (const document of documents) readValue(document, document.value, undefined, into);
  return into;
}

function readValue(
  document: ExportDocument,
  value: unknown,
  index: number | undefined,
  into: AzureExport,
): void {
  if (Array.isArray(value)) {
    value.forEach((item, itemIndex) => readValue(document, item, itemIndex, into));
    return;
  }
  if (!isObject(value)) {
    problem(into, document, index, '', 'a JSON object or array', value);
    return;
  }
  if (readGroupMembers(value, into)) return;

  const responses = value.responses;
  if (isObject(responses) && isObject(responses['200'])) {
    readValue(document, (responses['200'] as JsonObject).body, index, into);
    return;
  }
  if (Array.isArray(value.value)) {
    readValue(document, value.value, undefined, into);
    return;
  }
  readRecord(document, value, index, into);
}

function readRecord(
  document: ExportDocument,
  record: JsonObject,
  index: number | undefined,
  into: AzureExport,
): void {
  const position = recordPosition(document, index);
  if (isDenyAssignmentRecord(record)) {
    add(into.denyAssignments, readDenyAssignment(record), into, document, index);
  } else if (isRoleAssignmentRecord(record)) {
    const origin = `${document.source} ${position}`;
    add(
      into.roleAssignments,
      readRoleAssignment(record, document.source, origin),
      into,
      document,
      index,
    );
  } else if (isRoleDefinitionRecord(record)) {
    add(into.roleDefinitions, readRoleDefinition(record), into, document, index);
  } else if (Array.isArray(record.operations) || Array.isArray(record.resourceTypes)) {
    readProviderOperations(record, into);
  } else {
    into.problems.push({
      code: ExportProblemCode.unknownRecord,
      source: document.source,
      record: position,
      field: '',
      message: `${document.source} ${position} is not an Azure role assignment, role definition, deny assignment, group membership or provider operation list; received keys ${Object.keys(record).slice(0, 8).join(', ')}`,
    });
  }
}

function add<T>(
  list: T[],
  result: RecordResult<T>,
  into: AzureExport,
  document: ExportDocument,
  index: number | undefined,
): void {
  if (result.ok) list.push(result.value);
  else problem(into, document, index, result.field, result.reason, undefined);
}

function problem(
  into: AzureExport,
  document: ExportDocument,
  index: number | undefined,
  field: string,
  expected: string,
  received: unknown,
): void {
  const position = recordPosition(document, index);
  const at = field === '' ? '' : ` field ${field}`;
  const got = received === undefined ? 'is missing or invalid' : `is ${typeof received}`;
  into.problems.push({
    code: ExportProblemCode.invalidRecord,
    source: document.source,
    record: position,
    field,
    message: `${document.source} ${position}${at} ${got}: expected ${expected}; the record was skipped`,
  });
}

// `az provider operation list`: one object per resource provider with `operations` and
// `resourceTypes[].operations`, each operation carrying `name` and `isDataAction`.
function readProviderOperations(record: JsonObject, into: AzureExport): void {
  const addOperations = (operations: unknown): void => {
    if (!Array.isArray(operations)) return;
    for (const operation of operations) {
      if (!isObject(operation) || typeof operation.name !== 'string') continue;
      into.operations.push({
        name: operation.name.trim().toLowerCase(),
        isDataAction: operation.isDataAction === true,
      });
    }
  };
  addOperations(record.operations);
  if (Array.isArray(record.resourceTypes)) {
    for (const resourceType of record.resourceTypes) {
      if (isObject(resourceType)) addOperations(resourceType.operations);
    }
  }
}

function addMember(into: AzureExport, groupId: string, member: unknown): void {
  let memberId: string;
  if (typeof member === 'string') {
    memberId = member;
  } else if (isObject(member) && typeof member.id === 'string') {
    memberId = member.id;
    const odataType = typeof member['@odata.type'] === 'string' ? member['@odata.type'] : '';
    const type = GRAPH_TYPES[odataType.toLowerCase()];
    const name =
      (typeof member.userPrincipalName === 'string' && member.userPrincipalName) ||
      (typeof member.displayName === 'string' && member.displayName) ||
      '';
    if (type !== undefined) into.directoryObjects.set(memberId.toLowerCase(), { type, name });
  } else {
    return;
  }
  const key = groupId.toLowerCase();
  const members = into.groupMembers.get(key) ?? new Set<string>();
  members.add(memberId.trim().toLowerCase());
  into.groupMembers.set(key, members);
}

/** Reads the three group membership shapes; returns false when `value` is none of them. */
function readGroupMembers(value: JsonObject, into: AzureExport): boolean {
  const context = value['@odata.context'];
  if (typeof context === 'string' && Array.isArray(value.value)) {
    const match = GRAPH_MEMBERS_CONTEXT.exec(context);
    if (match === null) return false;
    for (const member of value.value) addMember(into, match[1] as string, member);
    return true;
  }
  if (typeof value.groupId === 'string' && Array.isArray(value.members)) {
    for (const member of value.members) addMember(into, value.groupId, member);
    return true;
  }
  const entries = Object.entries(value);
  const isMap =
    entries.length > 0 &&
    entries.every(
      ([key, members]) =>
        GUID.test(key) &&
        Array.isArray(members) &&
        members.every((member) => typeof member === 'string'),
    );
  if (!isMap) return false;
  for (const [groupId, members] of entries) {
    for (const member of members as string[]) addMember(into, groupId, member);
  }
  return true;
}
