import type { Action, Category } from '@ciem/events';
import { mapAwsCall } from '@ciem/permission-map';
import { readObject, readString, type JsonObject } from '../read-field.js';

/** The action of a NormalizedEvent and the category the permission map inferred. */
export interface CloudTrailAction {
  action: Action;
  /** Category implied by the mapping (a data action in a record without `eventCategory`). */
  impliedCategory: Category | undefined;
}

/**
 * Maps the call to the IAM permissions it exercised with `mapAwsCall`. An unmapped call is
 * not an error: it keeps `mapping: 'unmapped'` and no permissions, and is counted
 * downstream. Throws what `mapAwsCall` throws (a ConfigError when the AWS action catalog
 * cannot be read), since no record can be mapped then.
 */
export function mapCloudTrailAction(
  record: JsonObject,
  eventSource: string,
  eventName: string,
): CloudTrailAction {
  const mapping = mapAwsCall({
    eventSource,
    eventName,
    // Passed as objects so JSON-string and lower-cased copies map like the original.
    requestParameters: readObject(record, 'requestParameters', record['requestParameters']),
    additionalEventData: readObject(record, 'additionalEventData', record['additionalEventData']),
    eventType: readString(record, 'eventType', record['eventType']),
    eventCategory: readString(record, 'eventCategory', record['eventCategory']),
  });
  let impliedCategory: Category | undefined;
  if (mapping.category === 'data' || mapping.category === 'network-activity') {
    impliedCategory = 'data';
  } else if (mapping.category === 'sign-in') {
    impliedCategory = 'sign-in';
  }
  return {
    action: {
      service: mapping.service ?? serviceOfEventSource(eventSource),
      operation: eventName,
      permissions: [...mapping.permissions],
      mapping: mapping.status,
      visibility: mapping.visibility,
    },
    impliedCategory,
  };
}

/** Returns the host label before `.amazonaws.com`, for sources the catalog does not know. */
function serviceOfEventSource(eventSource: string): string {
  return eventSource.toLowerCase().replace(/\.amazonaws\.com(\.cn)?$/, '');
}
