/**
 * Reads Azure RBAC through Azure Resource Manager with `@azure/arm-authorization` 9 and
 * returns ARM REST pages (`{ "value": [...] }`) that `readAzureExports` accepts:
 *
 * - per subscription, `roleAssignments.listForSubscription` (the assignments that apply to
 *   the subscription: at it, below it and inherited from management groups),
 *   `roleDefinitions.list` and `denyAssignments.list`;
 * - for an optional management group, `roleAssignments.listForScope`,
 *   `roleDefinitions.list` and `denyAssignments.listForScope` on
 *   `/providers/Microsoft.Management/managementGroups/<id>`;
 * - optionally `providerOperationsMetadata.list` (expanded with resource types), the
 *   operation catalog that Azure wildcards are expanded against.
 *
 * The SDK follows `nextLink` and retries 429 and 503 after `Retry-After`, and other 5xx
 * and network errors with exponential back-off. A record seen in an earlier page (the same
 * built-in role in every subscription, a management group assignment in each of its
 * subscriptions) is left out of later pages, so each `id` appears once.
 */
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { AuthorizationManagementClientOptionalParams } from '@azure/arm-authorization';
import type { TokenCredential } from '@azure/core-auth';
import type { ExportDocument } from '@ciem/entitlements';
import { collectFailedError, invalidOptionError, tooManyPagesError } from './errors.js';
import type { ArmResource } from './rest-shape.js';
import { restDenyAssignment, restRoleAssignment, restRoleDefinition } from './rest-shape.js';

/** Options of `collectAzureRbac`. */
export interface CollectAzureOptions {
  /** `@azure/identity` `DefaultAzureCredential` in production. */
  readonly credential: TokenCredential;
  /** Subscription GUIDs to read. */
  readonly subscriptionIds: readonly string[];
  /** Management group id (its name, not its display name), read in addition to the subscriptions. */
  readonly managementGroupId?: string;
  /** Also reads the provider operation catalog (about 20 MB); true by default. */
  readonly providerOperations?: boolean;
  /** ARM endpoint; `https://management.azure.com` by default. */
  readonly endpoint?: string;
  /**
   * Pipeline options passed to the SDK client, such as `retryOptions` or `tlsOptions`
   * (`{ ca }` to trust a test server's certificate).
   */
  readonly clientOptions?: Omit<AuthorizationManagementClientOptionalParams, 'endpoint' | '$host'>;
  /** Pages per listing at most before raising `CIEM_ENTITLEMENTS_AZURE_COLLECT_TOO_MANY_PAGES`. */
  readonly maxPages?: number;
  /** Name of the pages in problems; `azure` by default. */
  readonly sourceName?: string;
  readonly abortSignal?: AbortSignal;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Management group ids: letters, digits, `-`, `_`, `(`, `)` and `.`, at most 90 characters.
const MANAGEMENT_GROUP = /^[\w().-]{1,90}$/;

interface Listing {
  readonly maxPages: number;
  readonly source: string;
  readonly abortSignal: AbortSignal | undefined;
  readonly seen: Set<string>;
  readonly documents: ExportDocument[];
}

/**
 * Collects the role assignments, role definitions, deny assignments and (optionally)
 * provider operations of the subscriptions and management group. Returns the pages in
 * order, named `<sourceName>/<scope>/<listing>#page-<n>`; empty pages are left out. Throws
 * `CIEM_ENTITLEMENTS_AZURE_COLLECT_INVALID_OPTION`, `..._ACCESS_DENIED`, `..._REJECTED`,
 * `..._TOO_MANY_PAGES` (ConfigError) or `..._FAILED` (DependencyError, retriable), and
 * rethrows the abort error when `abortSignal` fires.
 */
export async function collectAzureRbac(options: CollectAzureOptions): Promise<ExportDocument[]> {
  const subscriptionIds = options.subscriptionIds.map((id) => id.trim());
  for (const id of subscriptionIds) {
    if (!GUID.test(id)) invalid('subscriptionIds', 'subscription GUIDs', id);
  }
  const group = options.managementGroupId?.trim();
  if (group !== undefined && !MANAGEMENT_GROUP.test(group)) {
    invalid('managementGroupId', 'a management group id such as `platform`', group);
  }
  if (subscriptionIds.length === 0 && group === undefined) {
    invalid('subscriptionIds', 'at least one subscription or a management group', '');
  }
  const endpoint = options.endpoint ?? 'https://management.azure.com';
  if (!/^https:\/\/[^/]+/i.test(endpoint)) {
    // The SDK's bearer token policy refuses plain http anyway; failing here names the option.
    invalid('endpoint', 'an https URL such as https://management.azure.com', endpoint);
  }

  const listing: Listing = {
    maxPages: options.maxPages ?? 10_000,
    source: options.sourceName ?? 'azure',
    abortSignal: options.abortSignal,
    seen: new Set(),
    documents: [],
  };
  // This client serves the management group and provider operation calls, which take their
  // scope as an argument, so its subscription id fills no URL that is requested.
  const client = new AuthorizationManagementClient(
    options.credential,
    subscriptionIds[0] ?? '00000000-0000-0000-0000-000000000000',
    { ...options.clientOptions, endpoint },
  );
  const operationOptions =
    options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal };

  for (const subscriptionId of subscriptionIds) {
    const scope = `/subscriptions/${subscriptionId}`;
    const subscriptionClient = new AuthorizationManagementClient(
      options.credential,
      subscriptionId,
      {
        ...options.clientOptions,
        endpoint,
      },
    );
    await listPages(
      listing,
      'roleAssignments.listForSubscription',
      scope,
      'role-assignments',
      restRoleAssignment,
      () => subscriptionClient.roleAssignments.listForSubscription(operationOptions).byPage(),
    );
    await listPages(
      listing,
      'roleDefinitions.list',
      scope,
      'role-definitions',
      restRoleDefinition,
      () => subscriptionClient.roleDefinitions.list(relative(scope), operationOptions).byPage(),
    );
    await listPages(
      listing,
      'denyAssignments.list',
      scope,
      'deny-assignments',
      restDenyAssignment,
      () => subscriptionClient.denyAssignments.list(operationOptions).byPage(),
    );
  }
  if (group !== undefined) {
    const scope = `/providers/Microsoft.Management/managementGroups/${group}`;
    await listPages(
      listing,
      'roleAssignments.listForScope',
      scope,
      'role-assignments',
      restRoleAssignment,
      () => client.roleAssignments.listForScope(relative(scope), operationOptions).byPage(),
    );
    await listPages(
      listing,
      'roleDefinitions.list',
      scope,
      'role-definitions',
      restRoleDefinition,
      () => client.roleDefinitions.list(relative(scope), operationOptions).byPage(),
    );
    await listPages(
      listing,
      'denyAssignments.listForScope',
      scope,
      'deny-assignments',
      restDenyAssignment,
      () => client.denyAssignments.listForScope(relative(scope), operationOptions).byPage(),
    );
  }
  if (options.providerOperations ?? true) {
    await listPages(
      listing,
      'providerOperationsMetadata.list',
      '/providers/Microsoft.Authorization/providerOperations',
      'provider-operations',
      // Provider operation metadata has the same fields in the SDK model and in REST.
      (operation: object) => JSON.parse(JSON.stringify(operation)) as ArmResource,
      () =>
        client.providerOperationsMetadataOperations
          .list({ ...operationOptions, expand: 'resourceTypes' })
          .byPage(),
    );
  }
  return listing.documents;
}

/**
 * Drops the scope's leading `/`: the SDK's URL templates are `/{scope}/providers/...` with
 * the scope inserted unencoded, so `/subscriptions/x` would become `//subscriptions/x`.
 */
function relative(scope: string): string {
  return scope.replace(/^\/+/, '');
}

function invalid(field: string, expected: string, received: unknown): never {
  throw invalidOptionError(field, expected, received);
}

/** Reads every page of one listing and appends the records not seen before as one REST page. */
async function listPages<T extends { id?: string }>(
  listing: Listing,
  request: string,
  scope: string,
  kind: string,
  toRest: (model: T) => ArmResource,
  pages: () => AsyncIterableIterator<T[]>,
): Promise<void> {
  let page = 0;
  try {
    for await (const models of pages()) {
      page += 1;
      if (page > listing.maxPages) throw tooManyPagesError(request, scope, listing.maxPages);
      const value: ArmResource[] = [];
      for (const model of models) {
        const key = model.id?.toLowerCase();
        if (key !== undefined && listing.seen.has(key)) continue;
        if (key !== undefined) listing.seen.add(key);
        value.push(toRest(model));
      }
      if (value.length > 0) {
        listing.documents.push({
          source: `${listing.source}${scope}/${kind}#page-${page}`,
          value: { value },
        });
      }
    }
  } catch (error) {
    if (listing.abortSignal?.aborted === true) throw error;
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('CIEM_'))
      throw error;
    throw collectFailedError(error, request, scope);
  }
}
