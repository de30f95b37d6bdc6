import type { Resource } from '@ciem/events';
import { getPath, readArray, readString, type JsonObject } from '../read-field.js';
import { isArn, parseArn } from './arn.js';
import { RESOURCE_RULES, type ResourceRule } from './resource-rules.js';

/** Event values that fill the `{partition}`, `{region}` and `{account}` placeholders. */
export interface ResourceScope {
  partition: string;
  region: string | null;
  account: string;
}

/**
 * Collects the resources a CloudTrail call touched: the record's `resources[]` (ARN, type),
 * then ARNs built from request parameters by {@link RESOURCE_RULES}. Each ARN appears once,
 * and an entry with a type wins over one without.
 */
export function readCloudTrailResources(record: JsonObject, scope: ResourceScope): Resource[] {
  const byId = new Map<string, Resource>();
  const add = (resource: Resource): void => {
    const existing = byId.get(resource.id);
    if (existing === undefined || (existing.type === null && resource.type !== null)) {
      byId.set(resource.id, resource);
    }
  };

  for (const entry of readArray(record, 'resources')) {
    // Data events on an S3 prefix name it with `ARNPrefix` instead of `ARN`.
    const id = readString(entry, 'ARN') ?? readString(entry, 'ARNPrefix');
    if (id !== undefined) add({ id, type: readString(entry, 'type') ?? null });
  }

  const eventSource = readString(record, 'eventSource');
  for (const rule of RESOURCE_RULES) {
    if (rule.eventSource !== eventSource) continue;
    for (const value of readValues(record, rule.path)) {
      const resource = buildResource(rule, value, record, scope);
      if (resource !== undefined) add(resource);
    }
  }
  return [...byId.values()];
}

/** Reads every string at a dotted path whose steps may end in `[]` to fan out over arrays. */
function readValues(record: JsonObject, path: string): string[] {
  let current: unknown[] = [record];
  for (const step of path.split('.')) {
    const fansOut = step.endsWith('[]');
    const key = fansOut ? step.slice(0, -2) : step;
    const next: unknown[] = [];
    for (const node of current) {
      if (fansOut) next.push(...readArray(node, key));
      else next.push(getPath(node, key));
    }
    current = next.filter((value) => value !== undefined && value !== null);
  }
  const values: string[] = [];
  for (const value of current) {
    const text = typeof value === 'string' ? readString({ value }, 'value') : undefined;
    if (text !== undefined) values.push(text);
  }
  return values;
}

function buildResource(
  rule: ResourceRule,
  value: string,
  record: JsonObject,
  scope: ResourceScope,
): Resource | undefined {
  const id = buildArn(rule, value, record, scope);
  return id === undefined ? undefined : { id, type: typeOf(rule, id) };
}

function buildArn(
  rule: ResourceRule,
  value: string,
  record: JsonObject,
  scope: ResourceScope,
): string | undefined {
  switch (rule.form) {
    case 'arn':
      return isArn(value) ? value : undefined;
    case 'name-or-arn':
      return isArn(value) ? value : fillTemplate(rule.template, value, record, scope);
    case 'iam-name':
      return fillTemplate(rule.template, value, record, scope, { path: iamPathOf(record) });
    case 'kms-key':
      return kmsKeyArn(rule, value, record, scope);
    case 'lambda-function':
      return lambdaFunctionArn(rule, value, record, scope);
    case 'sqs-queue-url':
      return sqsQueueArn(value, scope);
  }
}

/**
 * Replaces the template's placeholders. Returns undefined when a placeholder has no value,
 * so an ARN is never built with a hole in it.
 */
function fillTemplate(
  template: string,
  value: string,
  record: JsonObject,
  scope: ResourceScope,
  extra: Record<string, string> = {},
): string | undefined {
  let missing = false;
  const filled = template.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const known: Record<string, string | null> = {
      partition: scope.partition,
      region: scope.region,
      account: scope.account === '' ? null : scope.account,
      value,
      ...extra,
    };
    const replacement = name in known ? known[name] : readString(record, name);
    if (replacement === undefined || replacement === null) missing = true;
    return replacement ?? '';
  });
  return missing ? undefined : filled;
}

/**
 * Returns the IAM path of the call as `/path/`, or `/` when the call gives none.
 *
 * NOTE: only create calls (`CreateUser`, `CreateRole`, `CreateGroup`) carry `path`. Other
 * calls name a user or role by name alone, so an entity under a path gets an ARN without
 * the path here, which differs from its IAM ARN.
 */
function iamPathOf(record: JsonObject): string {
  const path = readString(record, 'requestParameters.path');
  if (path === undefined) return '/';
  const leading = path.startsWith('/') ? path : `/${path}`;
  return leading.endsWith('/') ? leading : `${leading}/`;
}

// KMS accepts a key id, key ARN, alias name or alias ARN wherever it takes `KeyId`.
function kmsKeyArn(
  rule: ResourceRule,
  value: string,
  record: JsonObject,
  scope: ResourceScope,
): string | undefined {
  if (isArn(value)) return value;
  if (value.startsWith('alias/')) {
    return fillTemplate('arn:{partition}:kms:{region}:{account}:{value}', value, record, scope);
  }
  return fillTemplate(rule.template, value, record, scope);
}

// Lambda accepts a function name, an ARN, or a partial ARN "ACCOUNT:function:NAME".
function lambdaFunctionArn(
  rule: ResourceRule,
  value: string,
  record: JsonObject,
  scope: ResourceScope,
): string | undefined {
  if (isArn(value)) return value;
  const partial = /^(\d{12}):function:(.+)$/.exec(value);
  if (partial !== null) {
    const [, account = '', name = ''] = partial;
    return fillTemplate(rule.template, name, record, { ...scope, account });
  }
  return fillTemplate(rule.template, value, record, scope);
}

// Queue URLs are "https://sqs.REGION.amazonaws.com/ACCOUNT/NAME"; legacy ones use the host
// "queue.amazonaws.com" (us-east-1) or "REGION.queue.amazonaws.com".
function sqsQueueArn(value: string, scope: ResourceScope): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const [account, name] = url.pathname.split('/').filter((part) => part !== '');
  if (account === undefined || name === undefined) return undefined;
  const host = url.hostname.split('.');
  let region: string | null = scope.region;
  if (host[0] === 'sqs' && host.length > 3) region = host[1] ?? region;
  else if (host[1] === 'queue') region = host[0] ?? region;
  else if (url.hostname === 'queue.amazonaws.com') region = 'us-east-1';
  if (region === null) return undefined;
  return `arn:${scope.partition}:sqs:${region}:${account}:${name}`;
}

// A rule's type describes the ARN it builds. An ARN kept as given may name something else,
// so its type is dropped when the ARN's service differs, and a KMS alias gets the alias type.
function typeOf(rule: ResourceRule, id: string): string | null {
  const service = parseArn(id)?.service;
  const ruleService = rule.type.split('::')[1]?.toLowerCase();
  if (rule.form === 'kms-key' && id.includes(':alias/')) return 'AWS::KMS::Alias';
  if (service === undefined || ruleService === undefined) return rule.type;
  return service === ruleService || rule.eventSource.startsWith(`${service}.`) ? rule.type : null;
}
