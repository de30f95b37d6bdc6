import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  evaluateExportDocuments,
  parseExportText,
  readGcpExports,
  toPrincipalEntitlements,
  type ExportDocument,
  type PrincipalEntitlements,
} from '@ciem/entitlements';
import { ConfigError, DependencyError } from '@ciem/errors';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectGcpIamPolicies } from './collect.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const TOKEN = 'test-token';
const credentials = { getAccessToken: async () => TOKEN };
const ancestors = (...names: string[]): string[] => names;

// The same estate as fixtures/*.export.*, in the camelCase form the REST APIs return
// (Cloud Asset API v1 `Asset`, IAM API v1 `Role`).
const POLICY_ASSETS = [
  {
    name: '//cloudresourcemanager.googleapis.com/organizations/100',
    assetType: 'cloudresourcemanager.googleapis.com/Organization',
    iamPolicy: {
      version: 1,
      bindings: [{ role: 'organizations/100/roles/auditor', members: ['user:bob@example.com'] }],
      etag: 'BwYAAAAAAA0=',
    },
    ancestors: ancestors('organizations/100'),
    updateTime: '2026-11-01T10:00:00Z',
  },
  {
    name: '//cloudresourcemanager.googleapis.com/folders/200',
    assetType: 'cloudresourcemanager.googleapis.com/Folder',
    iamPolicy: {
      version: 1,
      bindings: [{ role: 'roles/storage.objectViewer', members: ['user:alice@example.com'] }],
      etag: 'BwYAAAAAAA1=',
    },
    ancestors: ancestors('folders/200', 'organizations/100'),
  },
  {
    name: '//cloudresourcemanager.googleapis.com/projects/300',
    assetType: 'cloudresourcemanager.googleapis.com/Project',
    iamPolicy: {
      version: 3,
      bindings: [
        {
          role: 'projects/shop/roles/deployer',
          members: ['serviceAccount:ci@shop.iam.gserviceaccount.com'],
        },
        {
          role: 'roles/storage.admin',
          members: ['user:carol@example.com'],
          condition: {
            title: 'expires 2030',
            expression: 'request.time < timestamp("2030-01-01T00:00:00Z")',
          },
        },
      ],
      etag: 'BwYAAAAAAA2=',
    },
    ancestors: ancestors('projects/300', 'folders/200', 'organizations/100'),
  },
  {
    name: '//storage.googleapis.com/shop-logs',
    assetType: 'storage.googleapis.com/Bucket',
    iamPolicy: {
      bindings: [{ role: 'roles/storage.objectViewer', members: ['projectOwner:shop'] }],
      etag: 'CAE=',
    },
    ancestors: ancestors('projects/300', 'folders/200', 'organizations/100'),
  },
];

const PROJECT_ASSETS = [
  {
    name: '//cloudresourcemanager.googleapis.com/projects/300',
    assetType: 'cloudresourcemanager.googleapis.com/Project',
    resource: {
      version: 'v1',
      data: { projectId: 'shop', projectNumber: '300', lifecycleState: 'ACTIVE', name: 'Shop' },
      parent: '//cloudresourcemanager.googleapis.com/folders/200',
    },
    ancestors: ancestors('projects/300', 'folders/200', 'organizations/100'),
  },
];

const role = (name: string, title: string, includedPermissions: string[]): object => ({
  name,
  title,
  stage: 'GA',
  etag: 'AA==',
  includedPermissions,
});
const PREDEFINED_ROLES = [
  role('roles/storage.objectViewer', 'Storage Object Viewer', [
    'storage.objects.get',
    'storage.objects.list',
  ]),
  role('roles/storage.admin', 'Storage Admin', [
    'storage.buckets.delete',
    'storage.objects.delete',
    'storage.objects.get',
  ]),
];

// A `permissions.queryTestablePermissions` response body (IAM v1 `QueryTestablePermissionsResponse`)
// for the scope. The default level SUPPORTED is left out, as the API's JSON leaves out enum
// defaults ("Create and manage custom roles", https://cloud.google.com/iam/docs/creating-custom-roles:
// permissions without a `customRolesSupportLevel` field are fully supported). The TESTING entry
// is the example of that page; the NOT_SUPPORTED level is set on a permission of this estate
// for the test.
const TESTABLE_PERMISSIONS = (
  JSON.parse(readFileSync(path.join(fixtures, 'testable-permissions.response.json'), 'utf8')) as {
    permissions: unknown[];
  }
).permissions;

type Handler = (
  request: IncomingMessage,
  url: URL,
  response: ServerResponse,
  body: Record<string, unknown>,
) => void;

/** Sends a JSON body with a status and optional headers. */
function reply(response: ServerResponse, status: number, body: unknown, headers = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/**
 * Serves a listing in pages of `size` items under `field`, with `nextPageToken` holding
 * the next offset, as both APIs do with opaque tokens.
 */
function paged(response: ServerResponse, url: URL, field: string, items: unknown[], size: number) {
  const offset = Number(url.searchParams.get('pageToken') ?? '0');
  const next = offset + size;
  reply(response, 200, {
    [field]: items.slice(offset, next),
    ...(next < items.length ? { nextPageToken: String(next) } : {}),
  });
}

/**
 * Routes of a healthy estate: two policy pages, one project page, two role pages and two
 * pages of testable permissions, whose page token travels in the POST body.
 */
const estate: Handler = (request, url, response, body) => {
  const route = url.pathname;
  if (route === '/v1/permissions:queryTestablePermissions' && request.method === 'POST') {
    const offset = Number(body.pageToken ?? '0');
    const next = offset + 4;
    reply(response, 200, {
      permissions: TESTABLE_PERMISSIONS.slice(offset, next),
      ...(next < TESTABLE_PERMISSIONS.length ? { nextPageToken: String(next) } : {}),
    });
  } else if (route === '/v1/organizations/100/assets') {
    if (url.searchParams.get('contentType') === 'IAM_POLICY') {
      paged(response, url, 'assets', POLICY_ASSETS, 3);
    } else {
      paged(response, url, 'assets', PROJECT_ASSETS, 3);
    }
  } else if (route === '/v1/roles') {
    paged(response, url, 'roles', PREDEFINED_ROLES, 1);
  } else if (route === '/v1/organizations/100/roles') {
    paged(
      response,
      url,
      'roles',
      [role('organizations/100/roles/auditor', 'Auditor', ['logging.logEntries.list'])],
      1,
    );
  } else if (route === '/v1/projects/shop/roles') {
    paged(
      response,
      url,
      'roles',
      [role('projects/shop/roles/deployer', 'Deployer', ['run.services.update'])],
      1,
    );
  } else {
    reply(response, 404, {
      error: { code: 404, message: `no route ${route}`, status: 'NOT_FOUND' },
    });
  }
};

describe('collectGcpIamPolicies', () => {
  let server: Server;
  let endpoint: string;
  let handler: Handler = estate;
  const requests: {
    path: string;
    method: string | undefined;
    authorization: string | undefined;
    body: Record<string, unknown>;
  }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        const text = Buffer.concat(chunks).toString('utf8');
        const body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
        requests.push({
          path: `${url.pathname}${url.search}`,
          method: request.method,
          authorization: request.headers.authorization,
          body,
        });
        handler(request, url, response, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(() => {
    handler = estate;
    requests.length = 0;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const collect = (overrides: object = {}) =>
    collectGcpIamPolicies({
      scope: 'organizations/100',
      credentials,
      assetEndpoint: endpoint,
      iamEndpoint: endpoint,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5_000 },
      ...overrides,
    });

  it('follows page tokens to the end', async () => {
    const documents = await collect();
    const paths = requests.map((request) => new URL(request.path, endpoint));
    expect(
      paths.map((url) => `${url.pathname} ${url.searchParams.get('pageToken') ?? ''}`),
    ).toEqual([
      '/v1/organizations/100/assets ',
      '/v1/organizations/100/assets 3',
      '/v1/organizations/100/assets ',
      '/v1/roles ',
      '/v1/roles 1',
      '/v1/permissions:queryTestablePermissions ',
      '/v1/permissions:queryTestablePermissions ',
      '/v1/organizations/100/roles ',
      '/v1/projects/shop/roles ',
    ]);
    expect(requests[5]).toMatchObject({
      method: 'POST',
      body: {
        fullResourceName: '//cloudresourcemanager.googleapis.com/organizations/100',
        pageSize: 1000,
      },
    });
    expect(requests[6]?.body.pageToken).toBe('4');
    expect(paths[0]?.searchParams.get('contentType')).toBe('IAM_POLICY');
    expect(paths[2]?.searchParams.get('assetTypes')).toBe(
      'cloudresourcemanager.googleapis.com/Project',
    );
    expect(paths[3]?.searchParams.get('view')).toBe('FULL');
    expect(requests.every((request) => request.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(documents.map((document) => document.source)).toEqual([
      'gcp/iam-policies#page-1',
      'gcp/iam-policies#page-2',
      'gcp/projects#page-1',
      'gcp/roles#page-1',
      'gcp/roles#page-2',
      'gcp/testable-permissions#page-1',
      'gcp/testable-permissions#page-2',
      'gcp/organizations/100/roles#page-1',
      'gcp/projects/shop/roles#page-1',
    ]);
  });

  it('matches the same estate read from files', async () => {
    const fromApi = comparable(await collect());
    const fileDocuments = [
      'iam-policies.export.ndjson',
      'projects.export.ndjson',
      'roles.export.json',
      'testable-permissions.response.json',
    ].flatMap(
      (name) => parseExportText(name, readFileSync(path.join(fixtures, name), 'utf8')).documents,
    );
    const fromFile = comparable(fileDocuments);

    expect([...fromApi.keys()].sort()).toEqual([...fromFile.keys()].sort());
    for (const [id, expected] of fromFile) expect(fromApi.get(id), id).toEqual(expected);

    // Known results: alice reads objects through the folder binding, bob holds the org's
    // custom role, the project owner convenience member does not resolve to a person.
    const permissionsOf = (id: string): string[] =>
      [...new Set(fromFile.get(id)?.grants.map((grant) => grant.permission))].sort();
    expect(permissionsOf('user:alice@example.com')).toEqual([
      'storage.objects.get',
      'storage.objects.list',
    ]);
    expect(permissionsOf('user:bob@example.com')).toEqual(['logging.logEntries.list']);
    expect(permissionsOf('serviceAccount:ci@shop.iam.gserviceaccount.com')).toEqual([
      'run.services.update',
    ]);
  });

  it('records custom role support levels', async () => {
    const documents = await collect();
    const fromApi = readGcpExports(documents);
    const fromFile = readGcpExports(
      parseExportText(
        'testable-permissions.response.json',
        readFileSync(path.join(fixtures, 'testable-permissions.response.json'), 'utf8'),
      ).documents,
    );
    for (const exported of [fromApi, fromFile]) {
      expect(exported.problems).toEqual([]);
      expect(exported.permissionSupport.get('appengine.applications.disable')).toBe('TESTING');
      expect(exported.permissionSupport.get('storage.objects.delete')).toBe('NOT_SUPPORTED');
      // No field means SUPPORTED, also for a permission whose API is disabled.
      expect(exported.permissionSupport.get('storage.objects.get')).toBe('SUPPORTED');
      expect(exported.permissionSupport.get('storage.objects.list')).toBe('SUPPORTED');
      expect(exported.permissionSupport.size).toBe(7);
    }
  });

  it('maps 403 to access denied', async () => {
    handler = (_request, _url, response) =>
      reply(response, 403, {
        error: {
          code: 403,
          message: 'caller lacks cloudasset.assets.listIamPolicy',
          status: 'PERMISSION_DENIED',
        },
      });
    const failure = await collect().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    expect(failure).toMatchObject({
      code: 'CIEM_ENTITLEMENTS_GCP_COLLECT_ACCESS_DENIED',
      retriable: false,
    });
    expect((failure as Error).message).toContain('cloudasset.assets.listIamPolicy');
    expect(requests).toHaveLength(1);
  });

  it('skips support levels the API denies', async () => {
    let deniedPages = 0;
    handler = (request, url, response, body) => {
      if (url.pathname === '/v1/permissions:queryTestablePermissions') {
        // The first page is served, so the test also shows that its document is dropped.
        if (body.pageToken === undefined) {
          estate(request, url, response, body);
          return;
        }
        deniedPages += 1;
        reply(response, 403, {
          error: { code: 403, message: 'permission denied', status: 'PERMISSION_DENIED' },
        });
        return;
      }
      estate(request, url, response, body);
    };
    const skipped: { request: string; code: string }[] = [];
    const documents = await collect({
      onListingSkipped: (request: string, error: ConfigError) =>
        skipped.push({ request, code: error.code }),
    });
    expect(deniedPages).toBe(1);
    expect(skipped).toEqual([
      {
        request: 'permissions.queryTestablePermissions',
        code: 'CIEM_ENTITLEMENTS_GCP_COLLECT_ACCESS_DENIED',
      },
    ]);
    expect(documents.map((document) => document.source)).toEqual([
      'gcp/iam-policies#page-1',
      'gcp/iam-policies#page-2',
      'gcp/projects#page-1',
      'gcp/roles#page-1',
      'gcp/roles#page-2',
      'gcp/organizations/100/roles#page-1',
      'gcp/projects/shop/roles#page-1',
    ]);
  });

  it('still fails when support levels keep failing', async () => {
    handler = (request, url, response, body) => {
      if (url.pathname === '/v1/permissions:queryTestablePermissions') {
        reply(response, 503, { error: { code: 503, status: 'UNAVAILABLE' } });
        return;
      }
      estate(request, url, response, body);
    };
    const failure = await collect().catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'CIEM_ENTITLEMENTS_GCP_COLLECT_FAILED' });
  });

  it('maps 404 to rejected without retry', async () => {
    const failure = await collect({ scope: 'folders/999' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'CIEM_ENTITLEMENTS_GCP_COLLECT_REJECTED' });
    expect(requests).toHaveLength(1);
  });

  it('waits Retry-After after 429', async () => {
    let throttled = false;
    handler = (request, url, response, body) => {
      if (!throttled) {
        throttled = true;
        reply(
          response,
          429,
          { error: { code: 429, status: 'RESOURCE_EXHAUSTED' } },
          { 'retry-after': '1' },
        );
        return;
      }
      estate(request, url, response, body);
    };
    const retries: number[] = [];
    const started = performance.now();
    const documents = await collect({
      onRetry: (event: { delayMs: number }) => retries.push(event.delayMs),
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(retries).toEqual([1_000]);
    expect(documents).toHaveLength(9);
  });

  it('raises a retriable error after repeated 500', async () => {
    handler = (_request, _url, response) =>
      reply(response, 500, { error: { code: 500, status: 'INTERNAL' } });
    const failure = await collect().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DependencyError);
    expect(failure).toMatchObject({
      code: 'CIEM_ENTITLEMENTS_GCP_COLLECT_FAILED',
      retriable: true,
    });
    expect(requests).toHaveLength(3);
  });

  it('raises a retriable error for refused connections', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const failure = await collect({ assetEndpoint: `http://127.0.0.1:${port}` }).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({
      code: 'CIEM_ENTITLEMENTS_GCP_COLLECT_FAILED',
      retriable: true,
    });
  });

  it('stops at maxPages', async () => {
    handler = (_request, _url, response) =>
      reply(response, 200, { assets: [], nextPageToken: 'again' });
    await expect(collect({ maxPages: 4 })).rejects.toMatchObject({
      code: 'CIEM_ENTITLEMENTS_GCP_COLLECT_TOO_MANY_PAGES',
    });
    expect(requests).toHaveLength(4);
  });

  it('rejects bad scopes and endpoints', async () => {
    await expect(collect({ scope: 'organization/100' })).rejects.toMatchObject({
      code: 'CIEM_ENTITLEMENTS_GCP_COLLECT_INVALID_OPTION',
    });
    await expect(collect({ iamEndpoint: 'http://iam.example.com' })).rejects.toMatchObject({
      code: 'CIEM_ENTITLEMENTS_GCP_COLLECT_INVALID_OPTION',
    });
    expect(requests).toHaveLength(0);
  });

  it('reports credentials that give no token', async () => {
    await expect(
      collect({ credentials: { getAccessToken: async () => null } }),
    ).rejects.toMatchObject({
      code: 'CIEM_ENTITLEMENTS_GCP_COLLECT_CREDENTIALS_FAILED',
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
