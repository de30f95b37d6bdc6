import { keyPath } from '../read-field.js';

/**
 * Keys that most CloudTrail records lack, as paths split once: a missing key is then tried
 * in lower case and PascalCase (see `getPath`) without a map lookup of its spellings.
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
