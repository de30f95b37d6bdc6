import { describe, expect, it } from 'vitest';
import { mapAwsCall } from './aws/map-aws-call.js';
import { gcpPermissionVisibility } from './gcp/gcp-visibility.js';

// Record values that are names of Object.prototype members used to be looked up on the
// prototype of the mapping tables, which returned a function or an object as an entry.
const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString'];

describe('mapping tables and record values named like prototype members', () => {
  it('treats such an event category as unknown', () => {
    for (const eventCategory of PROTOTYPE_NAMES) {
      const mapping = mapAwsCall({
        eventSource: 's3.amazonaws.com',
        eventName: 'ListObjects',
        eventCategory,
      });
      expect(mapping.category, eventCategory).toBe('management');
      expect(mapping.permissions).toEqual(['s3:ListBucket']);
    }
  });

  it('treats such an event type as an API call', () => {
    for (const eventType of PROTOTYPE_NAMES) {
      const mapping = mapAwsCall({
        eventSource: 's3.amazonaws.com',
        eventName: 'ListObjects',
        eventType,
      });
      expect(mapping.status, eventType).toBe('mapped');
      expect(mapping.permissions).toEqual(['s3:ListBucket']);
    }
  });

  it('leaves such a TransactWriteItems kind or PartiQL keyword unresolved', () => {
    for (const kind of PROTOTYPE_NAMES) {
      const transact = mapAwsCall({
        eventSource: 'dynamodb.amazonaws.com',
        eventName: 'TransactWriteItems',
        requestParameters: { transactItems: [{ [kind]: { tableName: 't' } }] },
      });
      expect(transact.permissions, kind).toEqual([]);
      expect(transact.reason).toContain('transactItems');

      const partiql = mapAwsCall({
        eventSource: 'dynamodb.amazonaws.com',
        eventName: 'ExecuteStatement',
        requestParameters: { statement: `${kind} FROM t` },
      });
      expect(partiql.permissions, kind).toEqual([]);
    }
  });

  it('classifies a GCP log named like a prototype member by its permission', () => {
    for (const name of PROTOTYPE_NAMES) {
      const logType = `projects/p1/logs/cloudaudit.googleapis.com%2F${name}`;
      expect(gcpPermissionVisibility('compute.instances.delete', { logType })).toBe('logged');
      expect(gcpPermissionVisibility('storage.objects.get', { logType })).toBe('data-event');
    }
  });
});
