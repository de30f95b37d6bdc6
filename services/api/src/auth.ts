/**
 * Authentication of API requests. API keys: the caller sends the key as
 * `Authorization: Bearer <key>` or `X-API-Key: <key>`; the service keeps only SHA-256
 * hashes and compares the presented key's hash with every configured hash in constant time.
 * JWT: the caller sends `Authorization: Bearer <jwt>`, verified with `jose` (HS256 with a
 * shared secret, or RS256 and ES256 with a public key), including `exp` and `nbf`.
 */
import { createHash, createPublicKey, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { describeValue } from '@ciem/errors';
import { errors as joseErrors, jwtVerify } from 'jose';
import { invalidAuthConfigError, unauthenticatedError } from './errors.js';

/** Role of a caller: `admin` may also acknowledge alerts; `none` may do nothing. */
export type Role = 'read' | 'admin' | 'none';

/** The authenticated caller of a request. */
export interface Caller {
  /** Key id or JWT subject; logged, used as the rate-limit key and as `acknowledged_by`. */
  readonly id: string;
  readonly role: Role;
}

/** Checks a request's credentials; rejects with `CIEM_API_UNAUTHENTICATED` when they fail. */
export interface Authenticator {
  readonly scheme: 'api-key' | 'jwt';
  authenticate(headers: Readonly<Record<string, string | string[] | undefined>>): Promise<Caller>;
}

interface ApiKeyEntry {
  id: string;
  role: Role;
  hash: Buffer;
}

const KEY_ENTRY = /^([A-Za-z0-9._-]{1,64}):(read|admin):([0-9a-fA-F]{64})$/;

/**
 * Parses `CIEM_API_KEYS` entries `<key id>:<role>:<sha256 hex>`. Throws `ConfigError`
 * `CIEM_API_INVALID_AUTH_CONFIG` naming the entry by position (never its hash).
 */
export function parseApiKeys(entries: readonly string[]): ApiKeyEntry[] {
  if (entries.length === 0) {
    throw invalidAuthConfigError(
      'CIEM_API_KEYS: expected at least one `<key id>:<role>:<sha256 hex>` entry with CIEM_API_AUTH_MODE=api-key, received no entries',
    );
  }
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const match = KEY_ENTRY.exec(entry.trim());
    if (match === null) {
      throw invalidAuthConfigError(
        `CIEM_API_KEYS: expected \`<key id>:<read|admin>:<64 hex digits of SHA-256>\` in every entry, received an invalid entry at position ${index + 1}`,
      );
    }
    const [, id, role, hash] = match as unknown as [string, string, Role, string];
    if (seen.has(id)) {
      throw invalidAuthConfigError(
        `CIEM_API_KEYS: expected unique key ids, received id ${describeValue(id)} twice`,
      );
    }
    seen.add(id);
    return { id, role, hash: Buffer.from(hash, 'hex') };
  });
}

/** Returns the hex SHA-256 of a key, the form `CIEM_API_KEYS` holds. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function bearerToken(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): string | undefined {
  const authorization = headerValue(headers.authorization);
  if (authorization === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (match === null) {
    throw unauthenticatedError('Authorization header: expected `Bearer <credential>`');
  }
  return match[1];
}

/** Creates the API key authenticator of `CIEM_API_KEYS` entries. */
export function createApiKeyAuthenticator(entries: readonly string[]): Authenticator {
  const keys = parseApiKeys(entries);
  return {
    scheme: 'api-key',
    async authenticate(headers) {
      const presented = bearerToken(headers) ?? headerValue(headers['x-api-key']);
      if (presented === undefined || presented === '') {
        throw unauthenticatedError(
          'missing API key: send `Authorization: Bearer <key>` or `X-API-Key: <key>`',
        );
      }
      const hash = createHash('sha256').update(presented, 'utf8').digest();
      // Every entry is compared, so the time taken does not tell which entry came close.
      let found: ApiKeyEntry | undefined;
      for (const key of keys) {
        if (timingSafeEqual(key.hash, hash) && found === undefined) found = key;
      }
      if (found === undefined) throw unauthenticatedError('invalid API key');
      return { id: found.id, role: found.role };
    },
  };
}

/** Options of `createJwtAuthenticator`; exactly one of `secret` and `publicKeyPem`. */
export interface JwtOptions {
  secret?: string | undefined;
  publicKeyPem?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
  roleClaim: string;
}

function roleOf(claim: unknown): Role {
  const values = Array.isArray(claim) ? claim : [claim];
  if (values.includes('admin')) return 'admin';
  if (values.includes('read')) return 'read';
  return 'none';
}

function jwtFailure(error: unknown): Error {
  if (error instanceof joseErrors.JWTExpired) return unauthenticatedError('token expired');
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return unauthenticatedError('token signature invalid');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return unauthenticatedError(`token claim ${error.claim} invalid: ${error.reason}`);
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return unauthenticatedError('token algorithm not allowed');
  }
  return unauthenticatedError('token invalid: expected a signed JWT');
}

/**
 * Creates the JWT authenticator. Throws `ConfigError` `CIEM_API_INVALID_AUTH_CONFIG` when
 * neither or both keys are set, the secret is shorter than 32 bytes, or the PEM is not a
 * public key.
 */
export function createJwtAuthenticator(options: JwtOptions): Authenticator {
  const hasSecret = options.secret !== undefined;
  const hasPublicKey = options.publicKeyPem !== undefined;
  if (hasSecret === hasPublicKey) {
    throw invalidAuthConfigError(
      `CIEM_API_JWT_SECRET or CIEM_API_JWT_PUBLIC_KEY_PATH: expected exactly one of the two with CIEM_API_AUTH_MODE=jwt, received ${hasSecret ? 'both' : 'neither'}`,
    );
  }
  let key: Uint8Array | KeyObject;
  let algorithms: string[];
  if (options.secret !== undefined) {
    key = new TextEncoder().encode(options.secret);
    if (key.length < 32) {
      throw invalidAuthConfigError(
        `CIEM_API_JWT_SECRET: expected at least 32 bytes, the HS256 key size, received ${key.length} bytes`,
      );
    }
    algorithms = ['HS256'];
  } else {
    try {
      key = createPublicKey(options.publicKeyPem as string);
    } catch {
      throw invalidAuthConfigError(
        'CIEM_API_JWT_PUBLIC_KEY_PATH: expected a PEM file with an RSA or EC public key, received a file that is not one',
      );
    }
    algorithms = key.asymmetricKeyType === 'ec' ? ['ES256'] : ['RS256'];
  }

  return {
    scheme: 'jwt',
    async authenticate(headers) {
      const token = bearerToken(headers);
      if (token === undefined) {
        throw unauthenticatedError('missing token: send `Authorization: Bearer <jwt>`');
      }
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms,
          ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
          ...(options.audience === undefined ? {} : { audience: options.audience }),
        });
        return {
          id: typeof payload.sub === 'string' ? payload.sub : 'jwt',
          role: roleOf(payload[options.roleClaim]),
        };
      } catch (error) {
        throw jwtFailure(error);
      }
    },
  };
}
