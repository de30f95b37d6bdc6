import type { MappingOutcome, MappingStatus, PermissionVisibility } from '../types.js';
import { AWS_ACTION_OVERRIDES } from './action-overrides.js';
import { type AwsAccessLevel, lookupAwsAction } from './catalog.js';
import { apiGatewayActionOf, awsServicePrefixOf, stripVersionSuffix } from './event-names.js';
import {
  AWS_EXTRA_PERMISSION_RULES,
  AWS_SERVICE_EXTRA_PERMISSION_RULES,
  type ExtraPermissionRule,
} from './extra-permissions.js';
import {
  type AwsEventCategory,
  type AwsNoPermissionEvent,
  AWS_NO_PERMISSION_EVENT_TYPES,
  AWS_NO_PERMISSION_EVENTS,
} from './no-permission-events.js';
import { AWS_PASS_ROLE_CALLS, AWS_REQUEST_RULES, PASS_ROLE_ACTION } from './request-rules.js';
import { awsPermissionVisibility } from './visibility.js';
import { ownEntry } from '../own-entry.js';

/** The CloudTrail record fields that decide which permissions a call exercised. */
export interface AwsCallInput {
  readonly eventSource?: unknown;
  readonly eventName?: unknown;
  readonly requestParameters?: unknown;
  /** Accepted so that callers can pass a whole record; no rule reads it yet. */
  readonly additionalEventData?: unknown;
  readonly eventType?: unknown;
  readonly eventCategory?: unknown;
}

/** One permission a call exercised. */
export interface AwsPermissionUse {
  /** Catalog spelling, such as `s3:ListBucket`. */
  readonly action: string;
  readonly accessLevel: AwsAccessLevel;
  /** Whether a use of this permission shows in CloudTrail; see `awsPermissionVisibility`. */
  readonly visibility: PermissionVisibility;
  /**
   * True for a permission the call needs besides its own action (`iam:PassRole` for
   * RunInstances with an instance profile): the event shows the call, not this check.
   */
  readonly extra: boolean;
}

/** Result of `mapAwsCall`. `permissions` lists `uses[].action` in the same order. */
export interface AwsCallMapping extends MappingOutcome {
  readonly provider: 'aws';
  /** IAM service prefix (`s3`, `cloudwatch`), when the event source maps to one. */
  readonly service: string | undefined;
  readonly permissions: readonly string[];
  readonly uses: readonly AwsPermissionUse[];
  /** Visibility of the call itself in CloudTrail: `data-event` for data and network events. */
  readonly visibility: PermissionVisibility;
  readonly category: AwsEventCategory;
}

const lowerKeys = <T>(table: Readonly<Record<string, T>>): ReadonlyMap<string, T> =>
  new Map(Object.entries(table).map(([key, value]) => [key.toLowerCase(), value]));

const OVERRIDES = lowerKeys(AWS_ACTION_OVERRIDES);
const NO_PERMISSION_EVENTS = lowerKeys(AWS_NO_PERMISSION_EVENTS);
const REQUEST_RULES = lowerKeys(AWS_REQUEST_RULES);
const PASS_ROLE_CALLS = lowerKeys(AWS_PASS_ROLE_CALLS);
const EXTRA_PERMISSION_RULES = lowerKeys(AWS_EXTRA_PERMISSION_RULES);

const CATEGORY_BY_EVENT_CATEGORY: Readonly<Record<string, AwsEventCategory>> = {
  management: 'management',
  data: 'data',
  networkactivity: 'network-activity',
  insight: 'insight',
};

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

interface Context {
  readonly source: string;
  readonly operation: string;
  readonly service: string | undefined;
  readonly category: AwsEventCategory;
}

function withoutPermission(context: Context, event: AwsNoPermissionEvent): AwsCallMapping {
  const category = event.category;
  const optIn = category === 'insight' || category === 'data' || category === 'network-activity';
  return result(context, 'no-permission', [], optIn ? 'data-event' : 'logged', category, {
    reason: event.reason,
  });
}

function unmapped(context: Context, reason: string): AwsCallMapping {
  const optIn = context.category === 'data' || context.category === 'network-activity';
  return result(context, 'unmapped', [], optIn ? 'data-event' : 'logged', context.category, {
    reason,
  });
}

function result(
  context: Context,
  status: MappingStatus,
  uses: readonly AwsPermissionUse[],
  visibility: PermissionVisibility,
  category: AwsEventCategory,
  extra: { reason?: string } = {},
): AwsCallMapping {
  return {
    provider: 'aws',
    status,
    source: context.source,
    operation: context.operation,
    service: context.service,
    permissions: uses.map((use) => use.action),
    uses,
    visibility,
    category,
    ...(extra.reason === undefined ? {} : { reason: extra.reason }),
  };
}

type Resolution = { readonly actions: readonly string[] } | { readonly unresolved: string };

// Finds the actions of the call from the tables, trying the event name as written first and
// then without its version suffix.
function resolveActions(
  service: string,
  names: readonly string[],
  request: Record<string, unknown> | undefined,
): Resolution | undefined {
  for (const name of names) {
    const key = `${service}:${name}`.toLowerCase();
    const rule = REQUEST_RULES.get(key);
    if (rule !== undefined) {
      const outcome = rule(request);
      return 'unresolved' in outcome
        ? { unresolved: `${service}:${name}: ${outcome.unresolved}` }
        : { actions: outcome.permissions };
    }
    const override = OVERRIDES.get(key);
    if (override !== undefined) return { actions: override };
    if (lookupAwsAction(key) !== undefined) return { actions: [key] };
    // API Gateway calls without an action named for them (routing rules and portals have
    // one) are authorized by their HTTP method.
    if (service === 'apigateway') {
      const action = apiGatewayActionOf(name);
      if (action !== undefined) return { actions: [action] };
    }
  }
  return undefined;
}

// Nesting depth searched for a role field: EventBridge PutTargets writes it in
// targets[].roleArn, so a role may sit two or three levels down.
const MAX_ROLE_FIELD_DEPTH = 4;

/** Role field names of a pass-role call, lower-cased, with their lengths for a quick test. */
interface RoleFieldNames {
  readonly names: ReadonlySet<string>;
  readonly lengths: ReadonlySet<number>;
}

const ROLE_FIELD_NAMES = new Map<string, RoleFieldNames>();

/** Returns the role field names of the pass-role call `key`, built on first use. */
function roleFieldNamesOf(key: string, fields: readonly string[]): RoleFieldNames {
  let known = ROLE_FIELD_NAMES.get(key);
  if (known === undefined) {
    const names = new Set(fields.map((name) => name.toLowerCase()));
    known = { names, lengths: new Set([...names].map((name) => name.length)) };
    ROLE_FIELD_NAMES.set(key, known);
  }
  return known;
}

// Returns true when `value` has one of the role field names at any depth up to
// MAX_ROLE_FIELD_DEPTH, in any case, with a value other than null or ''. Only keys of a
// listed length are lower-cased.
function hasRoleField(value: unknown, fields: RoleFieldNames, depth: number): boolean {
  if (depth > MAX_ROLE_FIELD_DEPTH || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((item) => hasRoleField(item, fields, depth + 1));
  const record = value as Record<string, unknown>;
  for (const field in record) {
    if (!Object.hasOwn(record, field)) continue;
    const fieldValue = record[field];
    if (fieldValue === null || fieldValue === undefined || fieldValue === '') continue;
    if (fields.lengths.has(field.length) && fields.names.has(field.toLowerCase())) return true;
    if (hasRoleField(fieldValue, fields, depth + 1)) return true;
  }
  return false;
}

function passesRole(key: string, request: Record<string, unknown> | undefined): boolean {
  const fields = PASS_ROLE_CALLS.get(key);
  if (fields === undefined) return false;
  if (fields === 'always') return true;
  return hasRoleField(request, roleFieldNamesOf(key, fields), 0);
}

// Appends the permissions that the extra permission rules find in the request to a mapped
// call, with `extra: true`. Returns the mapping unchanged when they find none.
function withExtraPermissions(
  mapping: AwsCallMapping,
  rules: readonly ExtraPermissionRule[],
  request: Record<string, unknown> | undefined,
): AwsCallMapping {
  if (mapping.status !== 'mapped') return mapping;
  let found: string[] | undefined;
  for (const rule of rules) {
    const actions = rule(request);
    if (actions.length > 0) (found ??= []).push(...actions);
  }
  // Most records show none, and then the cached mapping is returned without a copy.
  if (found === undefined) return mapping;
  const uses = [...mapping.uses];
  for (const action of found) {
    const entry = lookupAwsAction(action);
    if (entry === undefined) {
      const context = {
        source: mapping.source,
        operation: mapping.operation,
        service: mapping.service,
        category: mapping.category,
      };
      return unmapped(
        context,
        `extra permission rule names ${action}, which the AWS catalog lacks`,
      );
    }
    if (uses.some((use) => use.action === entry.action)) continue;
    uses.push({
      action: entry.action,
      accessLevel: entry.accessLevel,
      visibility: awsPermissionVisibility(entry.action),
      extra: true,
    });
  }
  if (uses.length === mapping.uses.length) return mapping;
  return { ...mapping, uses, permissions: uses.map((use) => use.action) };
}

/**
 * Maps one CloudTrail record to the IAM permissions the call exercised, in the catalog's
 * canonical spelling, with their access level and log visibility.
 *
 * Returns `no-permission` for sign-in events, service events, Insights events and calls
 * that need no permission. Returns `unmapped` with a `reason` when the source has no IAM
 * service or the action is not in the AWS catalog, so it never emits an action the catalog
 * lacks.
 * Extra permissions that the call needs (`iam:PassRole`, and those its request parameters
 * show, such as `ec2:CreateTags` for tags on create) follow the call's own actions with
 * `extra: true`. Throws `CIEM_PERMISSION_MAP_CATALOG_UNAVAILABLE` (ConfigError) when the
 * catalog package cannot be read. The result is frozen, because it is cached and shared,
 * unless its request showed extra permissions.
 */
export function mapAwsCall(call: AwsCallInput): AwsCallMapping {
  const eventSource = text(call.eventSource);
  const eventName = text(call.eventName);
  const eventType = text(call.eventType)?.toLowerCase();
  const recordCategory = text(call.eventCategory)?.toLowerCase();
  const input: CallFields = { eventSource, eventName, eventType, recordCategory };
  let entry = cachedEntryOf(input);
  if (entry === undefined) {
    entry = cacheEntryOf(input);
    cacheEntry(input, entry);
  }
  const mapping = mapCachedCall(input, entry, call.requestParameters);
  if (entry.extraRules.length === 0) return mapping;
  return withExtraPermissions(mapping, entry.extraRules, asRecord(call.requestParameters));
}

function mapCachedCall(
  input: CallFields,
  entry: CacheEntry,
  requestParameters: unknown,
): AwsCallMapping {
  if (entry.kind === 'request') {
    // The request decides the mapping only through the actions its rule returns, so
    // mappings are cached by those actions.
    const resolution = resolveActions(entry.service, entry.names, asRecord(requestParameters));
    const outcome =
      resolution === undefined
        ? ''
        : 'unresolved' in resolution
          ? `unresolved\u0000${resolution.unresolved}`
          : resolution.actions.join('\u0000');
    const known = entry.byOutcome?.get(outcome);
    if (known !== undefined) return known;
    const mapping = mapCallFields(input, requestParameters);
    if (entry.byOutcome === undefined || entry.byOutcome.size >= MAX_OUTCOMES_PER_CALL) {
      return mapping;
    }
    entry.byOutcome.set(outcome, freezeMapping(mapping));
    return mapping;
  }

  let variant: 'plain' | 'passRole' = 'plain';
  if (entry.kind === 'pass-role') {
    const request = asRecord(requestParameters);
    if (entry.keys.some((key) => passesRole(key, request))) variant = 'passRole';
  }
  const cached = entry[variant];
  if (cached !== undefined) return cached;
  const mapping = freezeMapping(mapCallFields(input, requestParameters));
  entry[variant] = mapping;
  return mapping;
}

/** The trimmed and lower-cased fields of a call that decide its mapping. */
interface CallFields {
  eventSource: string | undefined;
  eventName: string | undefined;
  eventType: string | undefined;
  recordCategory: string | undefined;
}

/**
 * What the cache keeps for one set of {@link CallFields}. A call with a request rule has one
 * mapping per list of actions its rule returns (`byOutcome`, absent when the call may also
 * pass a role, which the list does not show). A call with a pass-role rule depends on its
 * request only through whether it passes a role, so it has one mapping with `iam:PassRole`
 * and one without. Any other call has one mapping. `extraRules` are the extra permission
 * rules of the call, applied to every record after the cached mapping, since they read its
 * request parameters.
 */
type CacheEntry = { readonly extraRules: readonly ExtraPermissionRule[] } & (
  | {
      kind: 'request';
      service: string;
      names: readonly string[];
      byOutcome?: Map<string, AwsCallMapping>;
    }
  | { kind: 'fixed'; plain?: AwsCallMapping; passRole?: undefined }
  | {
      kind: 'pass-role';
      keys: readonly string[];
      plain?: AwsCallMapping;
      passRole?: AwsCallMapping;
    }
);

/** Largest number of calls kept; the cache is emptied when it is full. */
const MAX_CACHED_MAPPINGS = 10_000;

/**
 * Largest number of action lists cached for one call with a request rule. DynamoDB
 * transactions combine a few actions, so real calls have a handful; more are mapped anew.
 */
const MAX_OUTCOMES_PER_CALL = 32;

/**
 * Cache entries by call, because the same few hundred calls recur in record after record:
 * by event source, then event name, then event type, then category (each empty when
 * missing). Nesting the maps spares building and hashing a joined key per record.
 */
const mappingCache = new Map<string, Map<string, Map<string, Map<string, CacheEntry>>>>();
let cachedEntries = 0;

function cachedEntryOf(fields: CallFields): CacheEntry | undefined {
  return mappingCache
    .get(fields.eventSource ?? '')
    ?.get(fields.eventName ?? '')
    ?.get(fields.eventType ?? '')
    ?.get(fields.recordCategory ?? '');
}

function cacheEntry(fields: CallFields, entry: CacheEntry): void {
  if (cachedEntries >= MAX_CACHED_MAPPINGS) {
    mappingCache.clear();
    cachedEntries = 0;
  }
  const byName = childOf(mappingCache, fields.eventSource ?? '');
  const byType = childOf(byName, fields.eventName ?? '');
  childOf(byType, fields.eventType ?? '').set(fields.recordCategory ?? '', entry);
  cachedEntries++;
}

/** Returns the map under `key`, adding an empty one when there is none. */
function childOf<K, V>(parent: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let child = parent.get(key);
  if (child === undefined) {
    child = new Map();
    parent.set(key, child);
  }
  return child;
}

function cacheEntryOf(fields: CallFields): CacheEntry {
  const none: readonly ExtraPermissionRule[] = [];
  if (fields.eventSource === undefined || fields.eventName === undefined) {
    return { kind: 'fixed', extraRules: none };
  }
  const service = awsServicePrefixOf(fields.eventSource);
  if (service === undefined) return { kind: 'fixed', extraRules: none };
  // The same keys as the mapping uses: the event name as written and without its version.
  const keys = [...new Set([fields.eventName, stripVersionSuffix(fields.eventName)])].map((name) =>
    `${service}:${name}`.toLowerCase(),
  );
  const extraRules = extraRulesOf(service, keys);
  if (keys.some((key) => REQUEST_RULES.has(key))) {
    const names = [...new Set([fields.eventName, stripVersionSuffix(fields.eventName)])];
    const passes = keys.some((key) => PASS_ROLE_CALLS.has(key));
    return passes
      ? { kind: 'request', service, names, extraRules }
      : { kind: 'request', service, names, extraRules, byOutcome: new Map() };
  }
  if (keys.some((key) => PASS_ROLE_CALLS.has(key))) return { kind: 'pass-role', keys, extraRules };
  return { kind: 'fixed', extraRules };
}

// The extra permission rules of a call: those of the service, then those of the call.
function extraRulesOf(service: string, keys: readonly string[]): ExtraPermissionRule[] {
  const rules: ExtraPermissionRule[] = [];
  const serviceRule = ownEntry(AWS_SERVICE_EXTRA_PERMISSION_RULES, service);
  if (serviceRule !== undefined) rules.push(serviceRule);
  for (const key of keys) {
    const rule = EXTRA_PERMISSION_RULES.get(key);
    if (rule !== undefined && !rules.includes(rule)) rules.push(rule);
  }
  return rules;
}

/** Freezes a mapping and its arrays, since the cache hands the same object to every caller. */
function freezeMapping(mapping: AwsCallMapping): AwsCallMapping {
  for (const use of mapping.uses) Object.freeze(use);
  Object.freeze(mapping.uses);
  Object.freeze(mapping.permissions);
  return Object.freeze(mapping);
}

function mapCallFields(fields: CallFields, requestParameters: unknown): AwsCallMapping {
  const { eventSource, eventName, eventType, recordCategory } = fields;
  const category =
    (recordCategory === undefined
      ? undefined
      : ownEntry(CATEGORY_BY_EVENT_CATEGORY, recordCategory)) ??
    (eventType === 'awsvpceevent' ? 'network-activity' : 'management');
  const service = eventSource === undefined ? undefined : awsServicePrefixOf(eventSource);
  const context: Context = {
    source: eventSource ?? '',
    operation: eventName ?? '',
    service,
    category,
  };

  const typeRule =
    eventType === undefined ? undefined : ownEntry(AWS_NO_PERMISSION_EVENT_TYPES, eventType);
  if (typeRule !== undefined) return withoutPermission(context, typeRule);
  if (eventName === undefined) return unmapped(context, 'eventName is missing or empty');
  if (eventSource === undefined) return unmapped(context, 'eventSource is missing or empty');
  if (service === undefined) {
    return unmapped(context, `event source ${eventSource} matches no IAM service of the catalog`);
  }

  const names = [...new Set([eventName, stripVersionSuffix(eventName)])];
  for (const name of names) {
    const listed = NO_PERMISSION_EVENTS.get(`${service}:${name}`.toLowerCase());
    if (listed !== undefined) return withoutPermission(context, listed);
  }

  const request = asRecord(requestParameters);
  const resolution = resolveActions(service, names, request);
  if (resolution === undefined) {
    const tried = names.map((name) => `${service}:${name}`).join(' or ');
    const console = eventType === 'awsconsoleaction' ? ' (a console action, not an API)' : '';
    return unmapped(context, `${tried} is not an action of the AWS catalog${console}`);
  }
  if ('unresolved' in resolution) return unmapped(context, resolution.unresolved);

  const uses: AwsPermissionUse[] = [];
  for (const action of resolution.actions) {
    const entry = lookupAwsAction(action);
    if (entry === undefined) {
      return unmapped(context, `mapping table names ${action}, which the AWS catalog lacks`);
    }
    if (uses.some((use) => use.action === entry.action)) continue;
    uses.push({
      action: entry.action,
      accessLevel: entry.accessLevel,
      visibility: awsPermissionVisibility(entry.action),
      extra: false,
    });
  }

  const primaryKey = names.map((name) => `${service}:${name}`.toLowerCase());
  if (primaryKey.some((key) => passesRole(key, request))) {
    const passRole = lookupAwsAction(PASS_ROLE_ACTION);
    if (passRole !== undefined && !uses.some((use) => use.action === passRole.action)) {
      uses.push({
        action: passRole.action,
        accessLevel: passRole.accessLevel,
        visibility: awsPermissionVisibility(passRole.action),
        extra: true,
      });
    }
  }

  const dataEvent =
    category === 'data' ||
    category === 'network-activity' ||
    uses.some((use) => !use.extra && use.visibility === 'data-event');
  // A record without eventCategory (written before CloudTrail added the field) is a data
  // event when its action is one.
  const finalCategory =
    category === 'management' && recordCategory === undefined && dataEvent ? 'data' : category;
  return result(context, 'mapped', uses, dataEvent ? 'data-event' : 'logged', finalCategory);
}
