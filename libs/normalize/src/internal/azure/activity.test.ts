import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeNormalizedEvent, isNormalizationError } from '@ciem/events';
import type { NormalizationError, NormalizedEvent } from '@ciem/events';
import type { NormalizeContext } from '../context.js';
import { deriveEventId, normalizeAzureActivityRecord } from './activity.js';

const ctx: NormalizeContext = { rawRef: 'file:activity.json:1', ingestTime: Date.UTC(2024, 3, 1) };
const SUBSCRIPTION = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

type JsonRecord = Record<string, unknown>;

function fixture(name: string): JsonRecord {
  return JSON.parse(
    readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'),
  ) as JsonRecord;
}

function normalize(record: unknown): NormalizedEvent {
  const result = normalizeAzureActivityRecord(record, ctx);
  if (isNormalizationError(result)) throw new Error(`unexpected error: ${result.message}`);
  // Every event must also fit the Avro contract.
  expect(() => encodeNormalizedEvent(result)).not.toThrow();
  return result;
}

function normalizeError(record: unknown): NormalizationError {
  const result = normalizeAzureActivityRecord(record, ctx);
  if (!isNormalizationError(result)) throw new Error('expected a NormalizationError');
  return result;
}

function lowerCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerCaseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key.toLowerCase(), lowerCaseKeys(inner)]),
  );
}

describe('normalizeAzureActivityRecord diagnostic shape', () => {
  const event = normalize(fixture('diagnostic-role-assignment-write'));

  it('reads where, when and which phase', () => {
    expect(event.provider).toBe('azure');
    expect(event.event_time).toBe(Date.UTC(2024, 2, 5, 9, 12, 44, 123));
    expect(event.ingest_time).toBe(ctx.ingestTime);
    expect(event.account_id).toBe(SUBSCRIPTION);
    expect(event.tenant_id).toBe(TENANT);
    expect(event.region).toBe('global');
    expect(event.log_type).toBe('Administrative');
    expect(event.category).toBe('management');
    expect(event.phase).toBe('started');
    expect(event.correlation_id).toBe('7e1d3c2b-4a5f-4e6d-8c7b-9a0f1e2d3c4b');
    expect(event.raw_ref).toBe(ctx.rawRef);
  });

  it('derives a hex event id', () => {
    expect(event.event_id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads the user from claims', () => {
    expect(event.principal).toEqual({
      id: '3c4d5e6f-7a8b-4c9d-0e1f-2a3b4c5d6e7f',
      type: 'user',
      name: 'alice@contoso.example',
    });
    expect(event.mfa).toBe(true);
    expect(event.source_ip).toBe('203.0.113.24');
  });

  it('maps the authorization action', () => {
    expect(event.action).toEqual({
      service: 'Microsoft.Authorization',
      operation: 'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE',
      permissions: ['microsoft.authorization/roleassignments/write'],
      mapping: 'mapped',
      visibility: 'logged',
    });
    expect(event.read_only).toBe(false);
    expect(event.outcome).toBe('success');
    expect(event.error_code).toBeNull();
  });

  it('adds role assignment request resources', () => {
    expect(event.resources).toEqual([
      {
        id: `/subscriptions/${SUBSCRIPTION}/resourcegroups/rg-payments/providers/microsoft.authorization/roleassignments/5f2b7c1e-8a3d-4e6f-9b0a-1c2d3e4f5a6b`,
        type: 'microsoft.authorization/roleassignments',
      },
      {
        id: `/subscriptions/${SUBSCRIPTION}/resourcegroups/rg-payments`,
        type: 'microsoft.resources/resourcegroups',
      },
      {
        id: `/subscriptions/${SUBSCRIPTION}/providers/microsoft.authorization/roledefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635`,
        type: 'microsoft.authorization/roledefinitions',
      },
      { id: '8e9f0a1b-2c3d-4e5f-6a7b-8c9d0e1f2a3b', type: 'principal' },
    ]);
  });
});

describe('normalizeAzureActivityRecord REST shape', () => {
  const event = normalize(fixture('rest-vm-write-denied'));

  it('uses eventDataId as event id', () => {
    expect(event.event_id).toBe('d4c3b2a1-0f9e-4d8c-b7a6-5f4e3d2c1b0a');
    expect(event.event_time).toBe(Date.UTC(2024, 2, 5, 10, 1, 2, 500));
    expect(event.account_id).toBe(SUBSCRIPTION);
  });

  it('reads value objects and httpRequest', () => {
    expect(event.action.operation).toBe('Microsoft.Compute/virtualMachines/write');
    expect(event.action.service).toBe('Microsoft.Compute');
    expect(event.log_type).toBe('Administrative');
    expect(event.phase).toBe('failed');
    expect(event.source_ip).toBe('198.51.100.77');
    expect(event.mfa).toBe(false);
  });

  it('reports AuthorizationFailed as denied', () => {
    expect(event.outcome).toBe('denied');
    expect(event.error_code).toBe('AuthorizationFailed');
    expect(event.error_message).toContain('does not have authorization');
  });

  it('types a UPN caller as user', () => {
    expect(event.principal).toEqual({
      id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
      type: 'user',
      name: 'bob@contoso.example',
    });
  });
});

describe('normalizeAzureActivityRecord snake_case shape', () => {
  const event = normalize(fixture('cli-snake-case-service-principal'));

  it('reads snake_case keys', () => {
    expect(event.event_id).toBe('0a1b2c3d-4e5f-4a6b-7c8d-9e0f1a2b3c4d');
    expect(event.event_time).toBe(Date.UTC(2024, 2, 6, 14, 20, 5, 750));
    expect(event.account_id).toBe(SUBSCRIPTION);
    expect(event.tenant_id).toBe(TENANT);
    expect(event.correlation_id).toBe('9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d');
    expect(event.source_ip).toBe('192.0.2.15');
    expect(event.phase).toBe('succeeded');
    expect(event.action.service).toBe('Microsoft.Storage');
    expect(event.action.permissions).toEqual(['microsoft.storage/storageaccounts/listkeys/action']);
    expect(event.resources).toEqual([
      {
        id: `/subscriptions/${SUBSCRIPTION}/resourcegroups/rg-data/providers/microsoft.storage/storageaccounts/stdata01`,
        type: 'microsoft.storage/storageaccounts',
      },
    ]);
  });

  it('types an app without UPN as service principal', () => {
    expect(event.principal).toEqual({
      id: '6f7e8d9c-0b1a-4c2d-9e3f-4a5b6c7d8e9f',
      type: 'service_principal',
      name: '11112222-3333-4444-5555-666677778888',
    });
  });
});

describe('normalizeAzureActivityRecord type drift', () => {
  const event = normalize(fixture('diagnostic-managed-identity-drift'));

  it('parses identity and properties strings', () => {
    expect(event.principal).toEqual({
      id: '5a6b7c8d-9e0f-4a1b-2c3d-4e5f6a7b8c9d',
      type: 'managed_identity',
      name: 'id-deployer',
    });
    expect(event.tenant_id).toBe(TENANT);
    expect(event.action.permissions).toEqual(['microsoft.keyvault/vaults/write']);
  });

  it('reads PascalCase keys', () => {
    expect(event.event_time).toBe(Date.UTC(2024, 2, 7, 1, 2, 3, 456));
    expect(event.phase).toBe('succeeded');
    expect(event.region).toBe('westeurope');
    expect(event.log_type).toBe('Administrative');
  });

  it('normalizes an upper-case resource id', () => {
    expect(event.account_id).toBe(SUBSCRIPTION);
    expect(event.resources).toEqual([
      {
        id: `/subscriptions/${SUBSCRIPTION}/resourcegroups/rg-apps/providers/microsoft.keyvault/vaults/kv-apps`,
        type: 'microsoft.keyvault/vaults',
      },
    ]);
  });

  it('accepts durationMs as number or string', () => {
    const record = fixture('diagnostic-managed-identity-drift');
    const asNumber = normalize({ ...record, DurationMs: 1375 });
    expect(asNumber).toEqual(event);
  });

  it('gives lower-cased keys the same event', () => {
    const record = fixture('diagnostic-role-assignment-write');
    expect(normalize(lowerCaseKeys(record))).toEqual(normalize(record));
  });

  it('reads claims given as a JSON string', () => {
    const record = fixture('rest-vm-write-denied');
    const claimsAsText = { ...record, claims: JSON.stringify(record.claims) };
    expect(normalize(claimsAsText).principal.id).toBe('a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d');
  });
});

describe('normalizeAzureActivityRecord resource and sign-in logs', () => {
  it('marks storage reads as data', () => {
    const event = normalize(fixture('storage-read-oauth'));
    expect(event.category).toBe('data');
    expect(event.log_type).toBe('StorageRead');
    expect(event.principal).toEqual({
      id: 'c0ffee00-1234-4567-89ab-cdef01234567',
      type: 'user',
      name: 'carol@contoso.example',
    });
    expect(event.action.operation).toBe('GetBlob');
    expect(event.action.service).toBe('Microsoft.Storage');
    expect(event.action.permissions).toEqual([
      'microsoft.storage/storageaccounts/blobservices/containers/blobs/read',
    ]);
    expect(event.action.visibility).toBe('data-event');
    expect(event.read_only).toBe(true);
    expect(event.source_ip).toBe('198.51.100.9');
    expect(event.user_agent).toBe('azsdk-python-storage-blob/12.19.0 Python/3.11.4');
    expect(event.outcome).toBe('success');
    expect(event.phase).toBeNull();
  });

  it('reports HTTP 403 storage calls as denied', () => {
    const record = { ...fixture('storage-read-oauth'), statusCode: 403 };
    const event = normalize({ ...record, statusText: 'AuthorizationPermissionMismatch' });
    expect(event.outcome).toBe('denied');
    expect(event.error_code).toBe('AuthorizationPermissionMismatch');
  });

  it('keeps unsigned storage calls unknown', () => {
    const record = fixture('storage-read-oauth');
    const event = normalize({ ...record, identity: { type: 'SAS', tokenHash: 'key1(0A1B)' } });
    expect(event.principal).toEqual({ id: 'unknown', type: 'unknown', name: 'SAS' });
    expect(event.action.mapping).toBe('unmapped');
  });

  it('reads sign-in records', () => {
    const event = normalize(fixture('sign-in-failed'));
    expect(event.category).toBe('sign-in');
    expect(event.principal).toEqual({
      id: 'd1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a',
      type: 'user',
      name: 'dave@contoso.example',
    });
    expect(event.action.mapping).toBe('no-permission');
    expect(event.action.permissions).toEqual([]);
    expect(event.outcome).toBe('failed');
    expect(event.error_code).toBe('50126');
    expect(event.phase).toBeNull();
    expect(event.account_id).toBe('');
    expect(event.tenant_id).toBe(TENANT);
  });
});

describe('normalizeAzureActivityRecord caller fallback', () => {
  const base = fixture('rest-vm-write-denied');
  const withoutClaims = { ...base, claims: undefined };

  it('uses a UPN caller as id', () => {
    expect(normalize(withoutClaims).principal).toEqual({
      id: 'bob@contoso.example',
      type: 'user',
      name: 'bob@contoso.example',
    });
  });

  it('types a GUID caller as service principal', () => {
    const event = normalize({ ...withoutClaims, caller: 'A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D' });
    expect(event.principal.id).toBe('a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d');
    expect(event.principal.type).toBe('service_principal');
  });

  it('uses evidence principal without claims', () => {
    const record = fixture('diagnostic-role-assignment-write');
    const identity = record.identity as JsonRecord;
    const event = normalize({ ...record, identity: { authorization: identity.authorization } });
    expect(event.principal).toEqual({
      id: '3c4d5e6f-7a8b-4c9d-0e1f-2a3b4c5d6e7f',
      type: 'user',
      name: null,
    });
    expect(event.mfa).toBeNull();
  });

  it('ignores an evidence type named like a prototype member', () => {
    const record = fixture('diagnostic-role-assignment-write');
    const identity = record.identity as JsonRecord;
    const authorization = identity.authorization as JsonRecord;
    for (const principalType of ['constructor', '__proto__']) {
      const evidence = { ...(authorization.evidence as JsonRecord), principalType };
      const event = normalize({
        ...record,
        identity: { authorization: { ...authorization, evidence } },
      });
      // No claims and no known evidence type: the type is unknown, not a prototype value.
      expect(event.principal.type).toBe('unknown');
    }
  });

  it('returns unknown without any identity', () => {
    const event = normalize({ ...withoutClaims, caller: undefined });
    expect(event.principal).toEqual({ id: 'unknown', type: 'unknown', name: null });
  });
});

describe('normalizeAzureActivityRecord phases and outcomes', () => {
  const base = fixture('diagnostic-role-assignment-write');
  const phases: [string, string][] = [
    ['Start', 'started'],
    ['Started', 'started'],
    ['Accept', 'accepted'],
    ['Accepted', 'accepted'],
    ['Success', 'succeeded'],
    ['Succeeded', 'succeeded'],
    ['Failure', 'failed'],
    ['Failed', 'failed'],
    ['Active', 'active'],
    // Values named like Object.prototype members are kept lower-cased as other values are,
    // not looked up on the prototype (which gave a function or an object).
    ['constructor', 'constructor'],
    ['__proto__', '__proto__'],
  ];
  for (const [resultType, phase] of phases) {
    it(`maps resultType ${resultType}`, () => {
      expect(normalize({ ...base, resultType }).phase).toBe(phase);
    });
  }

  it('reports Forbidden status as denied', () => {
    const properties = { ...(base.properties as JsonRecord), statusCode: 'Forbidden' };
    const event = normalize({ ...base, resultType: 'Failure', properties });
    expect(event.outcome).toBe('denied');
  });

  it('reports other failures with code', () => {
    const properties = {
      ...(base.properties as JsonRecord),
      statusCode: 'Conflict',
      statusMessage: JSON.stringify({
        error: { code: 'ScopeLocked', message: 'The scope is locked.' },
      }),
    };
    const event = normalize({ ...base, resultType: 'Failure', properties });
    expect(event.outcome).toBe('failed');
    expect(event.error_code).toBe('ScopeLocked');
    expect(event.error_message).toBe('The scope is locked.');
  });

  it('keeps failures without detail as failed', () => {
    const event = normalize({ ...base, resultType: 'Failure', resultSignature: 'Failed.' });
    expect(event.outcome).toBe('failed');
    expect(event.error_code).toBeNull();
  });

  it('marks read operations read-only', () => {
    const identity = base.identity as JsonRecord;
    const authorization = {
      ...(identity.authorization as JsonRecord),
      action: 'Microsoft.Compute/virtualMachines/read',
    };
    const event = normalize({
      ...base,
      operationName: 'Microsoft.Compute/virtualMachines/read',
      identity: { ...identity, authorization },
    });
    expect(event.read_only).toBe(true);
    expect(event.action.visibility).toBe('not-logged');
  });
});

describe('normalizeAzureActivityRecord event ids', () => {
  const base = fixture('diagnostic-role-assignment-write');

  it('derives the same id twice', () => {
    expect(normalize(base).event_id).toBe(normalize(structuredClone(base)).event_id);
  });

  it('derives different ids per phase', () => {
    const accepted = normalize({ ...base, resultType: 'Accept' });
    expect(accepted.event_id).not.toBe(normalize(base).event_id);
  });

  it('derives different ids per time', () => {
    const later = normalize({ ...base, time: '2024-03-05T09:12:44.1234568Z' });
    expect(later.event_id).not.toBe(normalize(base).event_id);
  });

  it('prefers properties.eventDataId', () => {
    const properties = {
      ...(base.properties as JsonRecord),
      eventDataId: 'e0e1e2e3-0000-4000-8000-000000000001',
    };
    expect(normalize({ ...base, properties }).event_id).toBe(
      'e0e1e2e3-0000-4000-8000-000000000001',
    );
  });
});

describe('normalizeAzureActivityRecord amr claim', () => {
  const base = fixture('diagnostic-role-assignment-write');
  const withAmr = (amr: unknown): NormalizedEvent => {
    const identity = base.identity as JsonRecord;
    const claims = { ...(identity.claims as JsonRecord) };
    delete claims['http://schemas.microsoft.com/claims/authnmethodsreferences'];
    return normalize({ ...base, identity: { ...identity, claims: { ...claims, amr } } });
  };

  it('finds mfa among listed methods', () => {
    expect(withAmr('pwd, MFA').mfa).toBe(true);
    expect(withAmr(['rsa', 'mfa']).mfa).toBe(true);
    expect(withAmr('mfa').mfa).toBe(true);
  });

  it('ignores mfa inside another method', () => {
    expect(withAmr('pwd,nomfa').mfa).toBe(false);
    expect(withAmr('mfa2 pwd').mfa).toBe(false);
  });
});

describe('deriveEventId identifying text', () => {
  const fields = {
    time: '2024-03-05T09:12:44.1234567Z',
    resourceId: '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourcegroups/rg',
    operationName: 'microsoft.resources/deployments/write',
    category: 'administrative',
    phase: 'succeeded',
    subStatus: '',
    correlationId: 'c0ffee00-0000-4000-8000-000000000001',
    principalId: 'a054ffd0-86d0-4798-a82b-9a10a0adb7a0',
    sourceIp: '203.0.113.7',
  };
  const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

  /** Each value as its length, a colon and the value, in the order of the fields. */
  const lengthPrefixed = (values: Record<string, string>): string =>
    Object.values(values)
      .map((value) => `${value.length}:${value}`)
      .join('');

  it('hashes length-prefixed fields', () => {
    expect(deriveEventId(fields)).toBe(sha256(lengthPrefixed(fields)));
    expect(
      lengthPrefixed(fields).startsWith('28:2024-03-05T09:12:44.1234567Z69:/subscriptions/'),
    ).toBe(true);
  });

  it('hashes special characters unescaped', () => {
    const odd = { ...fields, subStatus: 'a"b\\c\n\u0001', sourceIp: 'x\u00e9\ud83d\ude00' };
    expect(deriveEventId(odd)).toBe(sha256(lengthPrefixed(odd)));
  });

  it('separates shifted field boundaries', () => {
    // Joined without lengths, both would read `.../rg1microsoft.x/y/write`.
    const left = {
      ...fields,
      resourceId: '/subscriptions/s/resourcegroups/rg1',
      operationName: 'microsoft.x/y/write',
    };
    const right = {
      ...fields,
      resourceId: '/subscriptions/s/resourcegroups/rg',
      operationName: '1microsoft.x/y/write',
    };
    expect(deriveEventId(left)).not.toBe(deriveEventId(right));
  });

  it('hashes lone surrogates as JSON', () => {
    // UTF-8 has no form for a lone surrogate: both would be hashed as U+FFFD.
    const high = { ...fields, sourceIp: 'x\ud800y' };
    const low = { ...fields, sourceIp: 'x\udc00y' };
    expect(deriveEventId(high)).toBe(sha256(JSON.stringify(high)));
    expect(deriveEventId(high)).not.toBe(deriveEventId(low));
  });
});

describe('normalizeAzureActivityRecord bad input', () => {
  it('rejects a non-object record', () => {
    for (const record of [null, 42, 'text', [fixture('rest-vm-write-denied')]]) {
      const error = normalizeError(record);
      expect(error.reason).toBe('wrong-type');
      expect(error.provider).toBe('azure');
      expect(error.raw_ref).toBe(ctx.rawRef);
    }
  });

  it('names a missing time', () => {
    const record = fixture('rest-vm-write-denied');
    const error = normalizeError({ ...record, eventTimestamp: undefined });
    expect(error.reason).toBe('missing-field');
    expect(error.field).toBe('time');
    expect(error.message).toContain('time');
    expect(error.message).toContain(ctx.rawRef);
  });

  it('names an unparseable time', () => {
    const error = normalizeError({
      ...fixture('rest-vm-write-denied'),
      eventTimestamp: 'yesterday',
    });
    expect(error.reason).toBe('wrong-type');
    expect(error.field).toBe('eventTimestamp');
    expect(error.message).toContain('"yesterday"');
  });

  it('names a missing operationName', () => {
    const error = normalizeError({ ...fixture('rest-vm-write-denied'), operationName: undefined });
    expect(error.reason).toBe('missing-field');
    expect(error.field).toBe('operationName');
  });

  it('names an operationName of wrong type', () => {
    const record = fixture('diagnostic-role-assignment-write');
    const error = normalizeError({ ...record, operationName: ['a', 'b'] });
    expect(error.reason).toBe('wrong-type');
    expect(error.field).toBe('operationName');
    expect(error.message).toContain('["a","b"]');
  });
});
