import { describe, expect, it } from 'vitest';
import { detectProvider } from './detect-provider.js';

describe('detectProvider', () => {
  it('detects CloudTrail records', () => {
    expect(detectProvider({ eventVersion: '1.08', eventName: 'GetObject' })).toBe('aws');
    expect(detectProvider({ userIdentity: { type: 'Root' } })).toBe('aws');
  });

  it('detects Azure Event Hubs records', () => {
    const record = { operationName: 'MICROSOFT.KEYVAULT/VAULTS/WRITE', category: 'Administrative' };
    expect(detectProvider(record)).toBe('azure');
  });

  it('detects Azure REST records before AWS', () => {
    const record = {
      eventDataId: 'd1',
      eventName: { value: 'EndRequest', localizedValue: 'End request' },
      operationName: { value: 'Microsoft.Resources/deployments/write' },
    };
    expect(detectProvider(record)).toBe('azure');
  });

  it('detects Azure SDK snake case records', () => {
    const record = { operation_name: { value: 'x/write' }, event_data_id: 'd1' };
    expect(detectProvider(record)).toBe('azure');
  });

  it('detects GCP log entries', () => {
    expect(detectProvider({ protoPayload: {}, severity: 'NOTICE' })).toBe('gcp');
    expect(detectProvider({ insertId: 'x1', jsonPayload: {} })).toBe('gcp');
  });

  it('accepts lower-cased keys', () => {
    expect(detectProvider({ insertid: 'x', protopayload: {} })).toBe('gcp');
    expect(detectProvider({ eventname: 'ListUsers', eventsource: 'iam.amazonaws.com' })).toBe(
      'aws',
    );
    expect(detectProvider({ operationname: 'a/write', resourceid: '/subscriptions/s' })).toBe(
      'azure',
    );
  });

  it('accepts PascalCase keys, the last spelling of a key winning', () => {
    expect(detectProvider({ OperationName: 'a/write', Category: 'Administrative' })).toBe('azure');
    expect(
      detectProvider({ OperationName: null, operationname: 'a/write', ResourceId: '/x' }),
    ).toBe('azure');
    expect(detectProvider({ OperationName: 'a/write', resourceid: '/x', RESOURCEID: null })).toBe(
      undefined,
    );
  });

  it('reads the keys of the documented rules as spelled, in their order', () => {
    const read: string[] = [];
    const record = new Proxy({} as Record<string, unknown>, {
      get(target, key) {
        if (typeof key === 'string') read.push(key);
        return undefined;
      },
    });
    expect(detectProvider(record)).toBeUndefined();
    // GCP keys first, then the Azure operation keys (the companions are read only after
    // an operation key is present), then the CloudTrail keys.
    expect(read).toEqual([
      'protoPayload',
      'logName',
      'insertId',
      'operationName',
      'operation_name',
      'eventVersion',
      'eventSource',
      'eventName',
      'userIdentity',
    ]);
  });

  it('returns undefined for other values', () => {
    expect(detectProvider({ methodName: 'v1.compute.firewalls.patch' })).toBeUndefined();
    expect(detectProvider({ operationName: 'SecretGet' })).toBeUndefined();
    expect(detectProvider({ eventName: null })).toBeUndefined();
    expect(detectProvider([{ eventName: 'x' }])).toBeUndefined();
    expect(detectProvider('eventName')).toBeUndefined();
    expect(detectProvider(null)).toBeUndefined();
  });
});
