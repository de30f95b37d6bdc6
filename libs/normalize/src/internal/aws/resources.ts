import type { Resource } from '@ciem/events';
import {
  fieldPath,
  getPath,
  isObject,
  readArray,
  readString,
  usableText,
  type FieldPath,
  type JsonObject,
} from '../read-field.js';
import { isArn, serviceOfArn } from './arn.js';
import { RESOURCE_RULES, type ResourceRule } from './resource-rules.js';

/** Event values that fill the `{partition}`, `{region}` and `{account}` placeholders. */
export interface ResourceScope {
  partition: string;
  region: string | null;
  account: string;
}

/** A rule with its path split into steps and its template split into parts, done once. */
interface CompiledRule {
  rule: ResourceRule;
  /** The rule's path, or undefined when a step fans out over an array. */
  plainPath: FieldPath | undefined;
  steps: readonly RuleStep[];
  template: readonly TemplatePart[];
  /** Lower-cased service of the rule's type (`s3` in `AWS::S3::Bucket`). */
  typeService: string | undefined;
}

/** One key of a rule's path, split once. A step that `fansOut` reads every array element. */
interface RuleStep {
  key: FieldPath;
  fansOut: boolean;
}

/** A literal piece of a template, or the name of a placeholder. */
type TemplatePart = { literal: string } | { placeholder: string };

function compileRules(
  rules: readonly ResourceRule[],
): ReadonlyMap<string, readonly CompiledRule[]> {
  const bySource = new Map<string, CompiledRule[]>();
  for (const rule of rules) {
    const steps = rule.path.split('.').map((step) => ({
      key: fieldPath(step.endsWith('[]') ? step.slice(0, -2) : step),
      fansOut: step.endsWith('[]'),
    }));
    const compiled: CompiledRule = {
      rule,
      plainPath: steps.some((step) => step.fansOut) ? undefined : fieldPath(rule.path),
      steps,
      template: compileTemplate(rule.template),
      typeService: rule.type.split('::')[1]?.toLowerCase(),
    };
    const list = bySource.get(rule.eventSource);
    if (list === undefined) bySource.set(rule.eventSource, [compiled]);
    else list.push(compiled);
  }
  return bySource;
}

const compiledTemplates = new Map<string, readonly TemplatePart[]>();

function compileTemplate(template: string): readonly TemplatePart[] {
  let parts = compiledTemplates.get(template);
  if (parts !== undefined) return parts;
  const compiled: TemplatePart[] = [];
  let position = 0;
  for (const match of template.matchAll(/\{([^}]+)\}/g)) {
    if (match.index > position) compiled.push({ literal: template.slice(position, match.index) });
    compiled.push({ placeholder: match[1] as string });
    position = match.index + match[0].length;
  }
  if (position < template.length) compiled.push({ literal: template.slice(position) });
  parts = compiled;
  compiledTemplates.set(template, parts);
  return parts;
}

const RULES_BY_SOURCE = compileRules(RESOURCE_RULES);

/**
 * Collects the resources a CloudTrail call touched: the record's `resources[]` (ARN, type),
 * then ARNs built from request parameters by {@link RESOURCE_RULES}. Each ARN appears once,
 * and an entry with a type wins over one without.
 */
export function readCloudTrailResources(record: JsonObject, scope: ResourceScope): Resource[] {
  const resources: Resource[] = [];
  for (const entry of readArray(record, 'resources', record['resources'])) {
    // Literal keys read faster (see `getPath`). The readers parse an entry held as JSON text.
    const object = isObject(entry) ? entry : undefined;
    // Data events on an S3 prefix name it with `ARNPrefix` instead of `ARN`.
    const id =
      readString(entry, 'ARN', object?.['ARN']) ??
      readString(entry, 'ARNPrefix', object?.['ARNPrefix']);
    if (id !== undefined) {
      addResource(resources, { id, type: readString(entry, 'type', object?.['type']) ?? null });
    }
  }

  const eventSource = readString(record, 'eventSource', record['eventSource']);
  const rules = eventSource === undefined ? undefined : RULES_BY_SOURCE.get(eventSource);
  if (rules === undefined) return resources;
  for (const compiled of rules) {
    if (compiled.plainPath !== undefined) {
      const value = getPath(record, compiled.plainPath);
      const text = typeof value === 'string' ? usableText(value) : undefined;
      if (text !== undefined) addBuilt(resources, compiled, text, record, scope);
      continue;
    }
    for (const text of readValues(record, compiled.steps)) {
      addBuilt(resources, compiled, text, record, scope);
    }
  }
  return resources;
}

/** Adds a resource unless its ARN is listed; a typed entry replaces an untyped one in place. */
function addResource(resources: Resource[], resource: Resource): void {
  for (let index = 0; index < resources.length; index++) {
    const existing = resources[index] as Resource;
    if (existing.id !== resource.id) continue;
    if (existing.type === null && resource.type !== null) resources[index] = resource;
    return;
  }
  resources.push(resource);
}

function addBuilt(
  resources: Resource[],
  compiled: CompiledRule,
  value: string,
  record: JsonObject,
  scope: ResourceScope,
): void {
  const id = buildArn(compiled, value, record, scope);
  if (id !== undefined) addResource(resources, { id, type: typeOf(compiled, id) });
}

/** Reads every string at a path whose steps may fan out over arrays. */
function readValues(record: JsonObject, steps: readonly RuleStep[]): string[] {
  let current: unknown[] = [record];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const node of current) {
      if (step.fansOut) {
        for (const item of readArray(node, step.key)) {
          if (item !== undefined && item !== null) next.push(item);
        }
      } else {
        const item = getPath(node, step.key);
        if (item !== undefined && item !== null) next.push(item);
      }
    }
    current = next;
  }
  const values: string[] = [];
  for (const value of current) {
    const text = typeof value === 'string' ? usableText(value) : undefined;
    if (text !== undefined) values.push(text);
  }
  return values;
}

function buildArn(
  compiled: CompiledRule,
  value: string,
  record: JsonObject,
  scope: ResourceScope,
): string | undefined {
  const rule = compiled.rule;
  switch (rule.form) {
    case 'arn':
      return isArn(value) ? value : undefined;
    case 'name-or-arn':
      return isArn(value) ? value : fillTemplate(compiled.template, value, record, scope);
    case 'iam-name':
      return fillTemplate(compiled.template, value, record, scope, iamPathOf(record));
    case 'kms-key':
      return kmsKeyArn(compiled, value, record, scope);
    case 'lambda-function':
      return lambdaFunctionArn(compiled, value, record, scope);
    case 'sqs-queue-url':
      return sqsQueueArn(value, scope);
  }
}

/**
 * Fills the template's placeholders: `{partition}`, `{region}`, `{account}`, `{value}`,
 * `{path}` when `path` is given, and any other name as a dotted path of the record.
 * Returns undefined when a placeholder has no value, so an ARN is never built with a hole
 * in it.
 */
function fillTemplate(
  template: readonly TemplatePart[],
  value: string,
  record: JsonObject,
  scope: ResourceScope,
  path?: string,
): string | undefined {
  let filled = '';
  for (const part of template) {
    if ('literal' in part) {
      filled += part.literal;
      continue;
    }
    const replacement = placeholderValue(part.placeholder, value, record, scope, path);
    if (replacement === undefined || replacement === null) return undefined;
    filled += replacement;
  }
  return filled;
}

function placeholderValue(
  name: string,
  value: string,
  record: JsonObject,
  scope: ResourceScope,
  path: string | undefined,
): string | null | undefined {
  switch (name) {
    case 'partition':
      return scope.partition;
    case 'region':
      return scope.region;
    case 'account':
      return scope.account === '' ? null : scope.account;
    case 'value':
      return value;
    case 'path':
      if (path !== undefined) return path;
      break;
  }
  return readString(record, name);
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

const KMS_ALIAS_TEMPLATE = compileTemplate('arn:{partition}:kms:{region}:{account}:{value}');

// KMS accepts a key id, key ARN, alias name or alias ARN wherever it takes `KeyId`.
function kmsKeyArn(
  compiled: CompiledRule,
  value: string,
  record: JsonObject,
  scope: ResourceScope,
): string | undefined {
  if (isArn(value)) return value;
  if (value.startsWith('alias/')) {
    return fillTemplate(KMS_ALIAS_TEMPLATE, value, record, scope);
  }
  return fillTemplate(compiled.template, value, record, scope);
}

// Lambda accepts a function name, an ARN, or a partial ARN "ACCOUNT:function:NAME".
function lambdaFunctionArn(
  compiled: CompiledRule,
  value: string,
  record: JsonObject,
  scope: ResourceScope,
): string | undefined {
  if (isArn(value)) return value;
  const partial = /^(\d{12}):function:(.+)$/.exec(value);
  if (partial !== null) {
    const [, account = '', name = ''] = partial;
    return fillTemplate(compiled.template, name, record, { ...scope, account });
  }
  return fillTemplate(compiled.template, value, record, scope);
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
function typeOf(compiled: CompiledRule, id: string): string | null {
  const rule = compiled.rule;
  const service = serviceOfArn(id);
  const ruleService = compiled.typeService;
  if (rule.form === 'kms-key' && id.includes(':alias/')) return 'AWS::KMS::Alias';
  if (service === undefined || ruleService === undefined) return rule.type;
  return service === ruleService || rule.eventSource.startsWith(`${service}.`) ? rule.type : null;
}
