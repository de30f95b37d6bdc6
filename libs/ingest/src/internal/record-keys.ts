import type { Provider } from '@ciem/events';

/** Returns the Kafka key of a parsed record: its account, subscription or project, or null. */
export type RecordKeyFunction = (record: unknown) => string | null;

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/**
 * Key of a CloudTrail record: `recipientAccountId` (the account that received the event),
 * else `userIdentity.accountId`. Both are documented in the CloudTrail record contents
 * reference.
 */
export function cloudTrailRecordKey(record: unknown): string | null {
  return (
    nonEmptyString(field(record, 'recipientAccountId')) ??
    nonEmptyString(field(field(record, 'userIdentity'), 'accountId'))
  );
}

const subscriptionInPath = /\/subscriptions\/([^/]+)/i;

/**
 * Key of an Azure Activity Log record: `subscriptionId` (REST and CLI shapes), else the
 * `/subscriptions/<id>` segment of `resourceId`, `ResourceId` or `id` (diagnostic-settings
 * shape). Lower-cased, because Azure writes the same GUID in either case and the key must
 * send one subscription to one partition.
 */
export function azureRecordKey(record: unknown): string | null {
  const direct =
    nonEmptyString(field(record, 'subscriptionId')) ??
    nonEmptyString(field(record, 'SubscriptionId'));
  if (direct !== null) return direct.toLowerCase();
  for (const name of ['resourceId', 'ResourceId', 'id']) {
    const path = nonEmptyString(field(record, name));
    const match = path === null ? null : subscriptionInPath.exec(path);
    if (match?.[1] !== undefined) return match[1].toLowerCase();
  }
  return null;
}

const logNameParent = /^((?:projects|organizations|folders|billingAccounts)\/[^/]+)\/logs\//;

/**
 * Key of a GCP LogEntry: the project id of `logName` (`projects/<id>/logs/...`), else
 * `resource.labels.project_id`. Organization, folder and billing-account logs are keyed by
 * their parent as written in `logName`, such as `organizations/123`.
 */
export function gcpRecordKey(record: unknown): string | null {
  const logName = nonEmptyString(field(record, 'logName'));
  const match = logName === null ? null : logNameParent.exec(logName);
  if (match?.[1] !== undefined) {
    return match[1].startsWith('projects/') ? match[1].slice('projects/'.length) : match[1];
  }
  return nonEmptyString(field(field(field(record, 'resource'), 'labels'), 'project_id'));
}

/** The key function of each provider's raw topic. */
export const RECORD_KEY_BY_PROVIDER: Readonly<Record<Provider, RecordKeyFunction>> = Object.freeze({
  aws: cloudTrailRecordKey,
  azure: azureRecordKey,
  gcp: gcpRecordKey,
});
