import { ConfigError } from '@ciem/errors';
import { describe, expect, it } from 'vitest';
import {
  createApiKeyAuthenticator,
  createJwtAuthenticator,
  hashApiKey,
  parseApiKeys,
} from './auth.js';
import { parseLagGroups } from './wiring.js';

const KEY = 'k-1234567890';

describe('parseApiKeys', () => {
  it('reads id, role and hash', () => {
    const [entry] = parseApiKeys([`ops:admin:${hashApiKey(KEY)}`]);
    expect(entry?.id).toBe('ops');
    expect(entry?.role).toBe('admin');
  });

  it('rejects an empty list', () => {
    expect(() => parseApiKeys([])).toThrow(ConfigError);
  });

  it('rejects a plain key without hash', () => {
    expect(() => parseApiKeys([`ops:admin:${KEY}`])).toThrow(
      /CIEM_API_KEYS: expected .* received an invalid entry at position 1$/,
    );
  });

  it('rejects a repeated key id', () => {
    const hash = hashApiKey(KEY);
    expect(() => parseApiKeys([`a:read:${hash}`, `a:admin:${hash}`])).toThrow(/unique key ids/);
  });
});

describe('createApiKeyAuthenticator', () => {
  const authenticator = createApiKeyAuthenticator([`ops:read:${hashApiKey(KEY)}`]);

  it('accepts the key in either header', async () => {
    await expect(authenticator.authenticate({ 'x-api-key': KEY })).resolves.toEqual({
      id: 'ops',
      role: 'read',
    });
    await expect(authenticator.authenticate({ authorization: `Bearer ${KEY}` })).resolves.toEqual({
      id: 'ops',
      role: 'read',
    });
  });

  it('rejects an unknown key', async () => {
    await expect(authenticator.authenticate({ 'x-api-key': 'other' })).rejects.toThrow(
      'invalid API key',
    );
  });
});

describe('createJwtAuthenticator', () => {
  it('rejects a short HS256 secret', () => {
    expect(() => createJwtAuthenticator({ secret: 'short', roleClaim: 'roles' })).toThrow(
      /at least 32 bytes/,
    );
  });

  it('needs exactly one key', () => {
    expect(() => createJwtAuthenticator({ roleClaim: 'roles' })).toThrow(/received neither/);
  });
});

describe('parseLagGroups', () => {
  it('prefixes each topic', () => {
    expect(parseLagGroups(['g1=ciem.alerts'], 'staging.')).toEqual([
      { group: 'g1', topic: 'staging.ciem.alerts' },
    ]);
  });

  it('rejects an entry without topic', () => {
    expect(() => parseLagGroups(['g1'], '')).toThrow(/CIEM_API_LAG_GROUPS: expected/);
  });
});
