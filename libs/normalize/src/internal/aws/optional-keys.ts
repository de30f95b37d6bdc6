import { keyPath } from '../read-field.js';

/**
 * Keys that most CloudTrail records lack, each as a path split once and named as the
 * record spells it. When a record lacks the key as spelled, the readers try its lower-case
 * and PascalCase spellings (see `getPath`). With a path given as text, the readers find
 * those spellings by a map lookup of the key, about ten lookups per record. A split path
 * carries its spellings, so it needs no lookup.
 */
export const OPTIONAL_KEYS = {
  Records: keyPath('Records'),
  vpcEndpointId: keyPath('vpcEndpointId'),
  sharedEventID: keyPath('sharedEventID'),
  sourceIdentity: keyPath('sourceIdentity'),
  invokedBy: keyPath('invokedBy'),
  onBehalfOf: keyPath('onBehalfOf'),
  MFAUsed: keyPath('MFAUsed'),
  errorCode: keyPath('errorCode'),
  errorMessage: keyPath('errorMessage'),
  ConsoleLogin: keyPath('ConsoleLogin'),
} as const;
