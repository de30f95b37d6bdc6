import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TokenCredential } from '@azure/core-auth';
import {
  evaluateExportDocuments,
  parseExportText,
  toPrincipalEntitlements,
  type ExportDocument,
  type PrincipalEntitlements,
} from '@ciem/entitlements';
import { ConfigError, DependencyError } from '@ciem/errors';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CollectAzureOptions } from './collect.js';
import { collectAzureRbac } from './collect.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const SUBSCRIPTION = '11111111-1111-1111-1111-111111111111';
const AUTHORIZATION = '/providers/Microsoft.Authorization';
const SUBSCRIPTION_PATH = `/subscriptions/${SUBSCRIPTION}${AUTHORIZATION}`;
const GROUP_PATH = `/providers/Microsoft.Management/managementGroups/platform${AUTHORIZATION}`;

// A static credential: no credential chain, environment or metadata endpoint is consulted.
const credential: TokenCredential = {
  getToken: async () => ({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

type Json = Record<string, unknown>;
const readJson = (name: string): unknown =>
  JSON.parse(readFileSync(path.join(fixtures, name), 'utf8'));

// The fixtures are `az role assignment list --all --fill-principal-name false
// --fill-role-definition-name false` and `az role definition list` output. ARM returns the
// same records with every field but id, name and type under `properties`, and the role
// definition's `roleType` as `properties.type` (REST API 2022-04-01).
function toRest(record: Json): Json {
  const { id, name, type, roleType, ...properties } = record;
  return {
    id,
    name,
    type,
    properties: roleType === undefined ? properties : { ...properties, type: roleType },
  };
}
const assignments = (readJson('role-assignments.cli.json') as Json[]).map(toRest);
const definitions = (readJson('role-definitions.cli.json') as Json[]).map(toRest);
const denies = (readJson('deny-assignments.rest.json') as { value: Json[] }).value;
const operations = readJson('provider-operations.cli.json') as Json[];
const groupAssignment = assignments[3] as Json;

type Handler = (request: IncomingMessage, url: URL, response: ServerResponse) => void;

function reply(response: ServerResponse, status: number, body: unknown, headers = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Serves `items` in pages of `size` with an absolute `nextLink` carrying a `$skiptoken`, as ARM does. */
function paged(response: ServerResponse, url: URL, items: unknown[], size: number): void {
  const offset = Number(url.searchParams.get('$skiptoken') ?? '0');
  const next = new URL(url);
  next.searchParams.set('$skiptoken', String(offset + size));
  reply(response, 200, {
    value: items.slice(offset, offset + size),
    ...(offset + size < items.length ? { nextLink: next.toString() } : {}),
  });
}

/** ARM routes of the estate; listForSubscription includes the management group's assignment. */
const estate: Handler = (_request, url, response) => {
  const route = url.pathname;
  const routes: Record<string, [unknown[], number]> = {
    [`${SUBSCRIPTION_PATH}/roleAssignments`]: [assignments, 2],
    [`${SUBSCRIPTION_PATH}/roleDefinitions`]: [definitions, 2],
    [`${SUBSCRIPTION_PATH}/denyAssignments`]: [denies, 2],
    [`${GROUP_PATH}/roleAssignments`]: [[groupAssignment], 2],
    [`${GROUP_PATH}/roleDefinitions`]: [[definitions[0]], 2],
    [`${GROUP_PATH}/denyAssignments`]: [[], 2],
    [`${AUTHORIZATION}/providerOperations`]: [operations, 1],
  };
  const found = routes[route];
  if (found === undefined) {
    reply(response, 404, { error: { code: 'NotFound', message: `no route ${route}` } });
    return;
  }
  paged(response, url, found[0], found[1]);
};

describe('collectAzureRbac', () => {
  let directory: string;
  let certificate: string;
  let server: Server;
  let endpoint: string;
  let handler: Handler = estate;
  const requests: { path: string; authorization: string | undefined }[] = [];

  beforeAll(async () => {
    // ARM clients send bearer tokens over https only, so the test server gets a
    // self-signed certificate for 127.0.0.1 that only the client under test trusts.
    directory = mkdtempSync(path.join(tmpdir(), 'ciem-azure-collector-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        path.join(directory, 'key.pem'),
        '-out',
        path.join(directory, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    certificate = readFileSync(path.join(directory, 'cert.pem'), 'utf8');
    server = createServer(
      { key: readFileSync(path.join(directory, 'key.pem')), cert: certificate },
      (request, response) => {
        // `//path` would parse as a host, so the path is appended to the origin as it came.
        const url = new URL(`${endpoint}${request.url ?? '/'}`);
        requests.push({
          path: url.pathname,
          authorization: request.headers.authorization,
        });
        handler(request, url, response);
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(() => {
    handler = estate;
    requests.length = 0;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  const collect = (overrides: Partial<CollectAzureOptions> = {}) =>
    collectAzureRbac({
      credential,
      subscriptionIds: [SUBSCRIPTION],
      managementGroupId: 'platform',
      endpoint,
      clientOptions: {
        tlsOptions: { ca: certificate },
        retryOptions: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 50 },
      },
      ...overrides,
    });

  it('follows nextLink to the end', async () => {
    const documents = await collect();
    expect(requests.map((request) => request.path)).toEqual([
      `${SUBSCRIPTION_PATH}/roleAssignments`,
      `${SUBSCRIPTION_PATH}/roleAssignments`,
      `${SUBSCRIPTION_PATH}/roleDefinitions`,
      `${SUBSCRIPTION_PATH}/roleDefinitions`,
      `${SUBSCRIPTION_PATH}/denyAssignments`,
      `${GROUP_PATH}/roleAssignments`,
      `${GROUP_PATH}/roleDefinitions`,
      `${GROUP_PATH}/denyAssignments`,
      `${AUTHORIZATION}/providerOperations`,
      `${AUTHORIZATION}/providerOperations`,
    ]);
    expect(requests.every((request) => request.authorization === 'Bearer test-token')).toBe(true);
    // The management group's assignment and role definition came with the subscription's
    // pages already, so the management group adds no page.
    expect(documents.map((document) => document.source)).toEqual([
      `azure/subscriptions/${SUBSCRIPTION}/role-assignments#page-1`,
      `azure/subscriptions/${SUBSCRIPTION}/role-assignments#page-2`,
      `azure/subscriptions/${SUBSCRIPTION}/role-definitions#page-1`,
      `azure/subscriptions/${SUBSCRIPTION}/role-definitions#page-2`,
      `azure/subscriptions/${SUBSCRIPTION}/deny-assignments#page-1`,
      'azure/providers/Microsoft.Authorization/providerOperations/provider-operations#page-1',
      'azure/providers/Microsoft.Authorization/providerOperations/provider-operations#page-2',
    ]);
    expect((documents[0]?.value as { value: unknown[] }).value[0]).toEqual(assignments[0]);
    expect((documents[2]?.value as { value: unknown[] }).value[0]).toEqual(definitions[0]);
  });

  it('matches the same estate read from files', async () => {
    const fromApi = comparable(await collect());
    const fileDocuments = [
      'role-assignments.cli.json',
      'role-definitions.cli.json',
      'deny-assignments.rest.json',
      'provider-operations.cli.json',
    ].flatMap(
      (name) => parseExportText(name, readFileSync(path.join(fixtures, name), 'utf8')).documents,
    );
    const fromFile = comparable(fileDocuments);

    expect([...fromApi.keys()].sort()).toEqual([...fromFile.keys()].sort());
    for (const [id, expected] of fromFile) expect(fromApi.get(id), id).toEqual(expected);

    // Known results: the custom role's wildcard expands to read and start but not delete,
    // and the deny assignment takes start away from bob again.
    const bob = [
      ...new Set(
        fromFile
          .get('bbbbbbbb-0000-0000-0000-000000000b0b')
          ?.grants.map((grant) => grant.permission),
      ),
    ];
    expect(bob.map((permission) => permission.toLowerCase()).sort()).toEqual([
      'microsoft.compute/virtualmachines/read',
    ]);
    expect(fromFile.has('dddddddd-0000-0000-0000-00000000de75')).toBe(true);
  });

  it('maps 403 to access denied', async () => {
    handler = (_request, _url, response) =>
      reply(response, 403, {
        error: {
          code: 'AuthorizationFailed',
          message:
            'does not have authorization to perform action Microsoft.Authorization/roleAssignments/read',
        },
      });
    const failure = await collect().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    expect(failure).toMatchObject({
      code: 'CIEM_ENTITLEMENTS_AZURE_COLLECT_ACCESS_DENIED',
      retriable: false,
    });
    expect((failure as Error).message).toContain('Microsoft.Authorization/roleAssignments/read');
    expect(requests).toHaveLength(1);
  });

  it('maps 404 to rejected', async () => {
    const failure = await collect({ managementGroupId: 'missing' }).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({
      code: 'CIEM_ENTITLEMENTS_AZURE_COLLECT_REJECTED',
      retriable: false,
    });
  });

  it('waits Retry-After after 429', async () => {
    let throttled = false;
    handler = (request, url, response) => {
      if (!throttled) {
        throttled = true;
        reply(
          response,
          429,
          { error: { code: 'TooManyRequests', message: 'throttled' } },
          { 'retry-after': '1' },
        );
        return;
      }
      estate(request, url, response);
    };
    const started = performance.now();
    const documents = await collect();
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(requests[0]?.path).toBe(requests[1]?.path);
    expect(documents).toHaveLength(7);
  });

  it('raises a retriable error after repeated 500', async () => {
    handler = (_request, _url, response) =>
      reply(response, 500, { error: { code: 'InternalServerError', message: 'try later' } });
    const failure = await collect().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DependencyError);
    expect(failure).toMatchObject({
      code: 'CIEM_ENTITLEMENTS_AZURE_COLLECT_FAILED',
      retriable: true,
    });
    // The first attempt and the two retries of retryOptions.maxRetries.
    expect(requests).toHaveLength(3);
  });

  it('rejects an untrusted certificate', async () => {
    const failure = await collect({ clientOptions: { retryOptions: { maxRetries: 0 } } }).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'CIEM_ENTITLEMENTS_AZURE_COLLECT_FAILED' });
    expect(requests).toHaveLength(0);
  });

  it('stops at maxPages', async () => {
    handler = (_request, url, response) =>
      reply(response, 200, { value: [], nextLink: new URL(url).toString() });
    await expect(collect({ maxPages: 3 })).rejects.toMatchObject({
      code: 'CIEM_ENTITLEMENTS_AZURE_COLLECT_TOO_MANY_PAGES',
    });
  });

  it('rejects bad ids and endpoints', async () => {
    await expect(collect({ subscriptionIds: ['not-a-guid'] })).rejects.toMatchObject({
      code: 'CIEM_ENTITLEMENTS_AZURE_COLLECT_INVALID_OPTION',
    });
    await expect(collect({ endpoint: 'http://127.0.0.1:1' })).rejects.toMatchObject({
      code: 'CIEM_ENTITLEMENTS_AZURE_COLLECT_INVALID_OPTION',
    });
    await expect(
      collect({ subscriptionIds: [], managementGroupId: undefined }),
    ).rejects.toMatchObject({
      code: 'CIEM_ENTITLEMENTS_AZURE_COLLECT_INVALID_OPTION',
    });
    expect(requests).toHaveLength(0);
  });
});

/** Evaluates documents and returns the expanded principals by id, grants sorted. */
function comparable(documents: ExportDocument[]): Map<string, PrincipalEntitlements> {
  const evaluation = evaluateExportDocuments(documents, { takenAt: Date.UTC(2026, 11, 1) });
  expect(evaluation.problems).toEqual([]);
  const byId = new Map<string, PrincipalEntitlements>();
  for (const snapshot of evaluation.snapshots) {
    for (const principal of snapshot.principals) {
      const expanded = toPrincipalEntitlements(principal);
      expanded.grants.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      expanded.findings.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      byId.set(principal.principal_id, expanded);
    }
  }
  return byId;
}
