import { matchesAwsResource } from '@ciem/entitlements';
import { expandAwsActionPattern, lookupAwsAction } from '@ciem/permission-map';
import type { MatchedUse, RecommendationContext } from './analyze.js';
import type { GrantedPermission } from './granted.js';
import { compareText } from './analyze.js';
import type { IamPolicyJson, IamStatementJson, Recommendation } from './types.js';

/**
 * Largest managed policy, in characters of the document without whitespace (IAM and AWS STS
 * quotas, "Managed policy size": 6,144 characters).
 */
export const AWS_MANAGED_POLICY_MAX_CHARS = 6144;

/** Sid of the statement that keeps granted permissions whose use cannot be observed. */
export const KEPT_UNOBSERVABLE_SID = 'KeptUnobservable';

interface StatementDraft {
  resources: string[];
  actions: Set<string>;
  sid?: string;
  /** JSON text of the statement's `Condition` block. */
  condition?: string;
}

/** Returns the size IAM counts for a policy: its JSON text without whitespace. */
export function policySize(document: IamPolicyJson): number {
  return JSON.stringify(document).length;
}

function observedResources(entry: MatchedUse): string[] | undefined {
  const catalog = lookupAwsAction(entry.granted.permission);
  // An action without resource types accepts only `*` as its resource.
  if (catalog === undefined || catalog.resourceTypes.length === 0) return undefined;
  const resources = new Set<string>();
  for (const use of entry.uses) {
    if (use.resources_truncated) return undefined;
    for (const resource of use.resources) {
      if (!resource.startsWith('arn:')) return undefined;
      // An event may also name resources the grant does not cover, such as the bucket of an
      // s3:GetObject on a grant for `bucket/*`. Naming them would grant beyond today's grant.
      if (entry.granted.resources.some((pattern) => matchesAwsResource(pattern, resource))) {
        resources.add(resource);
      }
    }
  }
  return resources.size === 0 ? undefined : [...resources].sort(compareText);
}

/** Returns whether a policy of one statement granting `action` on `resources` fits the limit. */
function fitsOnePolicy(
  action: string,
  resources: readonly string[],
  condition: string | undefined,
): boolean {
  const statement: StatementDraft = { resources: [...resources], actions: new Set([action]) };
  if (condition !== undefined) statement.condition = condition;
  const size = policySize({ Version: '2012-10-17', Statement: [toStatement(statement)] });
  return size <= AWS_MANAGED_POLICY_MAX_CHARS;
}

function addTo(
  drafts: Map<string, StatementDraft>,
  resources: readonly string[],
  action: string,
  options: { sid?: string; condition?: string | undefined } = {},
): void {
  const { sid, condition } = options;
  const key = `${sid ?? ''}\u0000${condition ?? ''}\u0000${resources.join('\u0000')}`;
  let draft = drafts.get(key);
  if (draft === undefined) {
    draft = { resources: [...resources], actions: new Set() };
    if (sid !== undefined) draft.sid = sid;
    if (condition !== undefined) draft.condition = condition;
    drafts.set(key, draft);
  }
  draft.actions.add(action);
}

/**
 * Returns the `Condition` block, as JSON text, that the grants of a conditional permission
 * share. Returns `unresolved` when the policy cannot restate what limits them. That is the
 * case for grants with different conditions, and for limits that are not an Allow's
 * `Condition`: `NotResource`, and denies, boundaries or SCPs that only partly apply
 * (`LimitedBy`).
 */
function conditionOf(granted: GrantedPermission): string | 'unresolved' | undefined {
  if (!granted.conditional) return undefined;
  const blocks = new Set<string>();
  for (const text of granted.conditions) {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return 'unresolved';
    }
    if (parsed['NotResource'] !== undefined || parsed['LimitedBy'] !== undefined) {
      return 'unresolved';
    }
    if (parsed['Condition'] === undefined) return 'unresolved';
    blocks.add(JSON.stringify(parsed['Condition']));
  }
  const [only] = blocks;
  return blocks.size === 1 && only !== undefined ? only : 'unresolved';
}

/**
 * Returns whether the unconditional grant pattern `pattern` gives all of `resource`, an ARN
 * or a granted pattern. A `?` matches one character, so it cannot stand for a wildcard of
 * the other pattern, which may be longer.
 */
function coversResource(pattern: string, resource: string): boolean {
  if (pattern === resource) return true;
  if (pattern.includes('?') && /[*?]/.test(resource)) return false;
  return matchesAwsResource(pattern, resource);
}

/**
 * Splits the resources of a permission into those an unconditional grant gives, which need
 * no condition, and the rest, which are `limited` by the permission's conditions. A
 * permission granted freely on one bucket and under a condition on another keeps the
 * condition on the second only.
 */
function splitByCondition(
  granted: GrantedPermission,
  resources: readonly string[],
): Array<{ resources: string[]; limited: boolean }> {
  if (!granted.conditional) return [{ resources: [...resources], limited: false }];
  const free: string[] = [];
  const limited: string[] = [];
  for (const resource of resources) {
    const covered = granted.unconditional_resources.some((pattern) =>
      coversResource(pattern, resource),
    );
    (covered ? free : limited).push(resource);
  }
  const parts: Array<{ resources: string[]; limited: boolean }> = [];
  if (free.length > 0) parts.push({ resources: free, limited: false });
  if (limited.length > 0) parts.push({ resources: limited, limited: true });
  return parts;
}

function toStatement(draft: StatementDraft): IamStatementJson {
  const statement: IamStatementJson = {
    Effect: 'Allow',
    Action: [...draft.actions].sort(compareText),
    Resource: draft.resources.length === 1 ? (draft.resources[0] ?? '*') : draft.resources,
  };
  if (draft.condition !== undefined) {
    statement.Condition = JSON.parse(draft.condition) as Record<string, unknown>;
  }
  return draft.sid === undefined ? statement : { Sid: draft.sid, ...statement };
}

function verbPrefix(action: string): string | undefined {
  const [service, name] = action.split(':');
  const verb = /^[A-Z][a-z]+/.exec(name ?? '')?.[0];
  return service === undefined || verb === undefined ? undefined : `${service}:${verb}*`;
}

/**
 * Replaces runs of actions by `service:Verb*` where every catalog action the pattern
 * expands to is in the statement already, so the wildcard grants nothing more today.
 */
function compressActions(actions: readonly string[]): string[] {
  const present = new Set(actions.map((action) => action.toLowerCase()));
  const byPattern = new Map<string, string[]>();
  for (const action of actions) {
    const pattern = verbPrefix(action);
    if (pattern === undefined) continue;
    byPattern.set(pattern, [...(byPattern.get(pattern) ?? []), action]);
  }
  const replaced = new Set<string>();
  const patterns: string[] = [];
  for (const [pattern, members] of byPattern) {
    if (members.length < 2) continue;
    const expansion = expandAwsActionPattern(pattern);
    if (expansion.length === 0) continue;
    if (!expansion.every((action) => present.has(action.toLowerCase()))) continue;
    patterns.push(pattern);
    for (const member of members) replaced.add(member);
  }
  const kept = actions.filter((action) => !replaced.has(action));
  return [...kept, ...patterns].sort(compareText);
}

function splitIntoPolicies(statements: readonly IamStatementJson[]): IamPolicyJson[] {
  const policies: IamPolicyJson[] = [];
  let current: IamPolicyJson = { Version: '2012-10-17', Statement: [] };
  const fits = (statement: IamStatementJson): boolean =>
    policySize({ ...current, Statement: [...current.Statement, statement] }) <=
    AWS_MANAGED_POLICY_MAX_CHARS;
  for (const whole of statements) {
    // A statement too large for one policy is cut into statements of fewer actions.
    const parts: IamStatementJson[] = [];
    let part: IamStatementJson = { ...whole, Action: [] };
    for (const action of whole.Action) {
      const grown = { ...part, Action: [...part.Action, action] };
      if (
        part.Action.length > 0 &&
        policySize({ Version: '2012-10-17', Statement: [grown] }) >
          AWS_MANAGED_POLICY_MAX_CHARS - 100
      ) {
        parts.push(part);
        part = { ...whole, Action: [action] };
      } else {
        part = grown;
      }
    }
    parts.push(part);
    for (const statement of parts) {
      if (current.Statement.length > 0 && !fits(statement)) {
        policies.push(current);
        current = { Version: '2012-10-17', Statement: [] };
      }
      current.Statement.push(statement);
    }
  }
  if (current.Statement.length > 0) policies.push(current);
  return policies;
}

/**
 * Builds the replacement AWS policy with one Allow statement per set of resources. A used
 * action gets the ARNs the usage names that its grants cover. It gets its granted resources
 * instead when the usage names no such ARN, names ids that are not ARNs, or may have dropped
 * some. Granted unobservable actions stay on their granted resources in statements with Sid
 * `KeptUnobservable`. A document over the managed-policy limit is first compressed to
 * `service:Verb*` wildcards that add nothing, then split over several policies.
 *
 * When nothing is kept, `document` is `null` and a note advises detaching every policy.
 *
 * A permission granted only under a `Condition` keeps that block in its statement, on the
 * resources that no unconditional grant of it gives. When its grants have different conditions, or are limited otherwise (`NotResource`, or a deny,
 * boundary or SCP that only partly applies), the statement cannot restate the limit, so
 * the permission is granted without it and a note names the permission.
 */
export function recommendAwsPolicy(
  context: RecommendationContext,
  removes: string[],
): Recommendation {
  const drafts = new Map<string, StatementDraft>();
  const kept = new Map<string, StatementDraft>();
  const unrestated: string[] = [];
  const overflowing: string[] = [];
  /** Adds the statements of one permission, its limited resources under its Condition. */
  const place = (
    target: Map<string, StatementDraft>,
    granted: GrantedPermission,
    parts: ReadonlyArray<{ resources: string[]; limited: boolean }>,
    condition: string | undefined,
    sid?: string,
  ): void => {
    for (const part of parts) {
      addTo(target, part.resources, granted.permission, {
        ...(sid === undefined ? {} : { sid }),
        condition: part.limited ? condition : undefined,
      });
    }
  };
  /** Returns the Condition to restate, noting the permission when its limit cannot be. */
  const restatable = (
    granted: GrantedPermission,
    parts: ReadonlyArray<{ limited: boolean }>,
    condition: string | 'unresolved' | undefined,
  ): string | undefined => {
    if (condition !== 'unresolved') return condition;
    if (parts.some((part) => part.limited)) unrestated.push(granted.permission);
    return undefined;
  };

  for (const entry of context.used) {
    const granted = entry.granted;
    let parts = splitByCondition(granted, observedResources(entry) ?? granted.resources);
    const restated = conditionOf(granted);
    const condition = restated === 'unresolved' ? undefined : restated;
    // Splitting a policy moves whole statements, so one action's ARNs must fit in one policy.
    const fits = parts.every((part) =>
      fitsOnePolicy(granted.permission, part.resources, part.limited ? condition : undefined),
    );
    if (!fits) {
      overflowing.push(granted.permission);
      parts = splitByCondition(granted, granted.resources);
    }
    place(drafts, granted, parts, restatable(granted, parts, restated));
  }
  for (const grant of context.unobservable) {
    const parts = splitByCondition(grant, grant.resources);
    place(kept, grant, parts, restatable(grant, parts, conditionOf(grant)), KEPT_UNOBSERVABLE_SID);
  }
  let index = 0;
  for (const draft of kept.values()) {
    index += 1;
    draft.sid = index === 1 ? KEPT_UNOBSERVABLE_SID : `${KEPT_UNOBSERVABLE_SID}${index}`;
  }

  const byResource = (a: StatementDraft, b: StatementDraft): number =>
    compareText(a.resources.join(','), b.resources.join(','));
  const statements = [...[...drafts.values()].sort(byResource), ...[...kept.values()]].map(
    toStatement,
  );
  // IAM rejects a policy with an empty Statement list (MalformedPolicyDocument), so a principal
  // that keeps nothing gets no document, only the advice to detach its policies.
  if (statements.length === 0) {
    return {
      kind: 'aws-policy',
      document: null,
      removes,
      notes: [
        'The principal used none of its granted permissions in the window and keeps none whose use cannot be observed, so no replacement policy is needed: detach all of its policies and remove its inline policies.',
      ],
    };
  }
  const notes: string[] = [];
  if (overflowing.length > 0) {
    notes.push(
      `These permissions were used on more resources than one ${AWS_MANAGED_POLICY_MAX_CHARS}-character managed policy can list, so they keep the resources they are granted on: ${overflowing.sort(compareText).join(', ')}.`,
    );
  }
  if (unrestated.length > 0) {
    notes.push(
      `These permissions are granted today only under conditions or exclusions that this policy does not restate, so it grants them more widely: ${[...new Set(unrestated)].sort(compareText).join(', ')}. Copy their conditions from the current policies before applying it.`,
    );
  }
  let document: IamPolicyJson = { Version: '2012-10-17', Statement: statements };
  if (policySize(document) > AWS_MANAGED_POLICY_MAX_CHARS) {
    document = {
      Version: '2012-10-17',
      Statement: statements.map((statement) => ({
        ...statement,
        Action: compressActions(statement.Action),
      })),
    };
    notes.push(
      `The exact policy exceeds the ${AWS_MANAGED_POLICY_MAX_CHARS}-character managed-policy limit, so actions are combined into service:Verb* wildcards that match only actions already listed.`,
    );
  }
  if (policySize(document) <= AWS_MANAGED_POLICY_MAX_CHARS) {
    return { kind: 'aws-policy', document, removes, ...(notes.length > 0 ? { notes } : {}) };
  }

  const policies = splitIntoPolicies(document.Statement);
  notes.push(
    `The policy still exceeds the ${AWS_MANAGED_POLICY_MAX_CHARS}-character limit and is split into ${policies.length} managed policies; attach all of them together.`,
  );
  const [first, ...rest] = policies;
  return {
    kind: 'aws-policy',
    document: first ?? document,
    additional_documents: rest,
    removes,
    notes,
  };
}
