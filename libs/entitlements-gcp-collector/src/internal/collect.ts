/**
 * Reads a GCP organization, folder or project through two REST APIs and returns the pages
 * as export documents that `readGcpExports` accepts:
 *
 * - Cloud Asset Inventory v1 `assets.list` (`GET /v1/{scope}/assets`) with content type
 *   `IAM_POLICY` returns every IAM policy in the scope as assets with `name`, `assetType`,
 *   `iamPolicy` and `ancestors` (nearest first), the form `gcloud asset export` writes in
 *   snake_case. `assets.list` is used rather than `searchAllIamPolicies`, because search
 *   results give the folders without their order, so the hierarchy could not be rebuilt.
 * - The same method with content type `RESOURCE` and asset type
 *   `cloudresourcemanager.googleapis.com/Project` gives project numbers, which convenience
 *   members such as `projectOwner:my-project` are resolved with.
 * - IAM v1 `roles.list` with `view=FULL` gives the predefined roles, and
 *   `{organizations|projects}/{id}/roles` the custom roles of every parent that a binding
 *   names, each with `includedPermissions`.
 * - IAM v1 `permissions.queryTestablePermissions` (`POST /v1/permissions:queryTestablePermissions`
 *   with `fullResourceName` of the scope) gives the permissions usable in the scope with their
 *   `customRolesSupportLevel`, so a recommended custom role can leave out those that custom
 *   roles do not support. The pages are kept as the API returns their `permissions` items.
 *
 * Every listing follows `nextPageToken` until it is empty. Checked against the REST
 * reference pages of both APIs (v1); there is no emulator, so the tests use a local server.
 */
import type { ExportDocument } from '@ciem/entitlements';
import { ConfigError } from '@ciem/errors';
import { GcpCollectorErrorCode, invalidOptionError, tooManyPagesError } from './errors.js';
import type { GcpAccessTokenProvider, GcpRequestContext, GcpRetryOptions } from './http.js';
import { getJson } from './http.js';

/** Options of `collectGcpIamPolicies`. */
export interface CollectGcpOptions {
  /** `organizations/<number>`, `folders/<number>` or `projects/<id or number>`. */
  readonly scope: string;
  /** Access tokens; google-auth-library's `GoogleAuth` in production. */
  readonly credentials: GcpAccessTokenProvider;
  /** Cloud Asset API root; `https://cloudasset.googleapis.com` by default. */
  readonly assetEndpoint?: string;
  /** IAM API root; `https://iam.googleapis.com` by default. */
  readonly iamEndpoint?: string;
  /** Items per page, 1 to 1000; 1000 by default. */
  readonly pageSize?: number;
  /** Pages per listing at most before raising `CIEM_ENTITLEMENTS_GCP_COLLECT_TOO_MANY_PAGES`. */
  readonly maxPages?: number;
  readonly retry?: GcpRetryOptions;
  /** Name of the pages in problems; `gcp` by default. */
  readonly sourceName?: string;
  readonly abortSignal?: AbortSignal;
  readonly onRetry?: GcpRequestContext['onRetry'];
  /**
   * Called when an optional listing is left out because the API denied or rejected it
   * (`permissions.queryTestablePermissions`); the export then has no support levels.
   */
  readonly onListingSkipped?: (request: string, error: ConfigError) => void;
}

const SCOPE = /^(organizations|folders)\/\d+$|^projects\/[a-z0-9][a-z0-9:.-]*$/;
const CUSTOM_ROLE = /^((?:organizations|projects)\/[^/]+)\/roles\/[^/]+$/;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks an API root: https, or http on a loopback address only, so that a bearer token
 * never crosses a network in clear text. Returns it without a trailing slash.
 */
function checkEndpoint(field: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidOptionError(field, 'an absolute URL such as https://iam.googleapis.com', value);
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw invalidOptionError(field, 'an https URL (http only on a loopback address)', value);
  }
  return value.replace(/\/+$/, '');
}

/**
 * Collects the IAM policies, projects and roles of a scope. Returns the pages in order,
 * named `<sourceName>/<listing>#page-<n>`, each an array of assets or roles; empty pages
 * are left out. Throws the codes of `getJson`, plus
 * `CIEM_ENTITLEMENTS_GCP_COLLECT_INVALID_OPTION` and
 * `CIEM_ENTITLEMENTS_GCP_COLLECT_TOO_MANY_PAGES` (ConfigError).
 */
export async function collectGcpIamPolicies(options: CollectGcpOptions): Promise<ExportDocument[]> {
  const scope = options.scope.trim();
  if (!SCOPE.test(scope)) {
    throw invalidOptionError(
      'scope',
      'organizations/<number>, folders/<number> or projects/<project id>',
      options.scope,
    );
  }
  const assetRoot = checkEndpoint(
    'assetEndpoint',
    options.assetEndpoint ?? 'https://cloudasset.googleapis.com',
  );
  const iamRoot = checkEndpoint('iamEndpoint', options.iamEndpoint ?? 'https://iam.googleapis.com');
  const pageSize = String(options.pageSize ?? 1_000);
  const source = options.sourceName ?? 'gcp';
  const context: GcpRequestContext = {
    credentials: options.credentials,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
    ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
  };
  const listing = {
    context,
    maxPages: options.maxPages ?? 10_000,
    documents: [] as ExportDocument[],
  };

  const policies = await listPages(listing, {
    request: 'assets.list',
    source: `${source}/iam-policies`,
    url: `${assetRoot}/v1/${scope}/assets`,
    query: { contentType: 'IAM_POLICY', pageSize },
    itemsField: 'assets',
  });
  await listPages(listing, {
    request: 'assets.list',
    source: `${source}/projects`,
    url: `${assetRoot}/v1/${scope}/assets`,
    query: {
      contentType: 'RESOURCE',
      assetTypes: 'cloudresourcemanager.googleapis.com/Project',
      pageSize,
    },
    itemsField: 'assets',
  });
  await listPages(listing, {
    request: 'roles.list',
    source: `${source}/roles`,
    url: `${iamRoot}/v1/roles`,
    query: { view: 'FULL', pageSize },
    itemsField: 'roles',
  });
  await listOptionalPages(
    listing,
    {
      request: 'permissions.queryTestablePermissions',
      source: `${source}/testable-permissions`,
      url: `${iamRoot}/v1/permissions:queryTestablePermissions`,
      query: {},
      body: {
        fullResourceName: `//cloudresourcemanager.googleapis.com/${scope}`,
        pageSize: Number(pageSize),
      },
      itemsField: 'permissions',
    },
    options.onListingSkipped,
  );
  for (const parent of customRoleParents(policies)) {
    await listPages(listing, {
      request: `${parent.split('/')[0]}.roles.list`,
      source: `${source}/${parent}/roles`,
      url: `${iamRoot}/v1/${parent}/roles`,
      query: { view: 'FULL', pageSize },
      itemsField: 'roles',
    });
  }
  return listing.documents;
}

interface Listing {
  readonly context: GcpRequestContext;
  readonly maxPages: number;
  readonly documents: ExportDocument[];
}

interface ListRequest {
  readonly request: string;
  readonly source: string;
  readonly url: string;
  readonly query: Record<string, string>;
  /** JSON body of a POST listing, which takes `pageToken` in the body instead of the query. */
  readonly body?: Readonly<Record<string, unknown>>;
  /** Field of the response that contains the page's items: `assets`, `roles` or `permissions`. */
  readonly itemsField: string;
}

/** Follows `nextPageToken` and appends each non-empty page; returns the items read. */
async function listPages(listing: Listing, list: ListRequest): Promise<unknown[]> {
  const items: unknown[] = [];
  let pageToken: string | undefined;
  let page = 0;
  do {
    if (page >= listing.maxPages) throw tooManyPagesError(list.request, listing.maxPages);
    page += 1;
    let body: unknown;
    if (list.body === undefined) {
      const query = new URLSearchParams(list.query);
      if (pageToken !== undefined) query.set('pageToken', pageToken);
      body = await getJson(list.request, `${list.url}?${query}`, listing.context);
    } else {
      const requestBody = pageToken === undefined ? list.body : { ...list.body, pageToken };
      body = await getJson(list.request, list.url, listing.context, requestBody);
    }
    const response = isObject(body) ? body : {};
    const pageItems = response[list.itemsField];
    if (Array.isArray(pageItems) && pageItems.length > 0) {
      items.push(...pageItems);
      listing.documents.push({ source: `${list.source}#page-${page}`, value: pageItems });
    }
    pageToken =
      typeof response.nextPageToken === 'string' && response.nextPageToken !== ''
        ? response.nextPageToken
        : undefined;
  } while (pageToken !== undefined);
  return items;
}

/**
 * Runs a listing whose pages only refine the export. Support levels make custom role
 * recommendations safer but are not needed to evaluate grants. So when the API denies this
 * listing (401 or 403) or rejects it for the scope (another 4xx), its pages are dropped,
 * `onSkipped` receives the error, and the export goes on. Failures after every retry (429,
 * 5xx, network) still throw, because a later run may succeed.
 */
async function listOptionalPages(
  listing: Listing,
  list: ListRequest,
  onSkipped: ((request: string, error: ConfigError) => void) | undefined,
): Promise<void> {
  const before = listing.documents.length;
  try {
    await listPages(listing, list);
  } catch (error) {
    const skippable =
      error instanceof ConfigError &&
      (error.code === GcpCollectorErrorCode.accessDenied ||
        error.code === GcpCollectorErrorCode.requestRejected);
    if (!skippable) throw error;
    listing.documents.length = before;
    onSkipped?.(list.request, error);
  }
}

/** Returns the organizations and projects whose custom roles the policies' bindings name. */
function customRoleParents(assets: readonly unknown[]): string[] {
  const parents = new Set<string>();
  for (const asset of assets) {
    const policy = isObject(asset) ? asset.iamPolicy : undefined;
    const bindings = isObject(policy) && Array.isArray(policy.bindings) ? policy.bindings : [];
    for (const binding of bindings) {
      const role = isObject(binding) ? binding.role : undefined;
      const match = typeof role === 'string' ? CUSTOM_ROLE.exec(role) : null;
      if (match !== null) parents.add(match[1] as string);
    }
  }
  return [...parents].sort();
}
