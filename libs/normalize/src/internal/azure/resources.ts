import type { Resource } from '@ciem/events';
import { readObject, readString } from '../read-field.js';
import type { JsonObject } from '../read-field.js';
import { normalizeGuid, normalizeResourceId, resourceTypeOfNormalized } from './resource-id.js';

/** Resource type given to the assignee of a role assignment, which is not an ARM resource. */
export const ROLE_ASSIGNEE_RESOURCE_TYPE = 'principal';

const ROLE_ASSIGNMENT_WRITE = '/roleassignments/write';

/**
 * Lists the resources of an Azure record: the logged resource id, the authorization scope
 * when it differs, and for `Microsoft.Authorization/roleAssignments/write` the assignment's
 * scope, role definition and assignee. Those three exist only in `properties.requestbody`,
 * a JSON string that ARM logs on the Start record of the write. Ids are lower-cased and
 * listed once each.
 */
export function resourcesOf(input: {
  /** `resourceId` as normalizeResourceId returns it. */
  normalizedResourceId: string | undefined;
  resourceId: string | undefined;
  authorizationScope: string | undefined;
  /** The operation name lower-cased. */
  operationLower: string;
  properties: JsonObject | undefined;
}): Resource[] {
  // Records list one to five resources, so a linear search finds duplicates cheaply.
  const resources: Resource[] = [];
  addNormalized(resources, input.normalizedResourceId);
  // The scope is usually the resource id itself, which is then listed already.
  if (input.authorizationScope !== input.resourceId) {
    addResource(resources, input.authorizationScope);
  }

  if (input.operationLower.endsWith(ROLE_ASSIGNMENT_WRITE)) {
    const body = readObject(input.properties, 'requestbody');
    addResource(resources, readString(body, 'properties.scope'));
    addResource(resources, readString(body, 'properties.roleDefinitionId'));
    const assignee = readString(body, 'properties.principalId');
    if (assignee !== undefined) {
      addResource(resources, normalizeGuid(assignee), ROLE_ASSIGNEE_RESOURCE_TYPE);
    }
  }
  return resources;
}

function addResource(resources: Resource[], id: string | undefined, type?: string): void {
  if (id === undefined) return;
  addNormalized(resources, normalizeResourceId(id), type);
}

function addNormalized(resources: Resource[], normalized: string | undefined, type?: string): void {
  if (normalized === undefined || normalized === '') return;
  for (let index = 0; index < resources.length; index++) {
    if ((resources[index] as Resource).id === normalized) return;
  }
  resources.push({
    id: normalized,
    type: type ?? resourceTypeOfNormalized(normalized) ?? null,
  });
}
