/**
 * Parts of a Cloud Logging `logName`: `{projects|organizations|folders|billingAccounts}/
 * {id}/logs/{log id}`, where the log id is URL-encoded (`cloudaudit.googleapis.com%2Factivity`).
 */
export interface LogNameParts {
  /** The resource that owns the log: `projects`, `organizations`, `folders` or `billingAccounts`. */
  containerKind: string;
  containerId: string;
  /** The decoded log id: `cloudaudit.googleapis.com/activity`. */
  logId: string;
  /**
   * The audit stream (`activity`, `data_access`, `system_event`, `policy`,
   * `access_transparency`) for `cloudaudit.googleapis.com` logs; undefined for others.
   */
  auditLogType: string | undefined;
}

const LOG_NAME = /^(projects|organizations|folders|billingAccounts)\/([^/]+)\/logs\/(.+)$/i;
const AUDIT_LOG_PREFIX = 'cloudaudit.googleapis.com/';

/** Parses a `logName`; undefined when it does not have the documented form. */
export function parseLogName(logName: string): LogNameParts | undefined {
  const match = LOG_NAME.exec(logName.trim());
  if (match === null) return undefined;
  const [, kind = '', id = '', encodedLogId = ''] = match;
  const logId = decodeLogId(encodedLogId);
  const auditLogType = logId.toLowerCase().startsWith(AUDIT_LOG_PREFIX)
    ? logId.slice(AUDIT_LOG_PREFIX.length).toLowerCase()
    : undefined;
  return { containerKind: canonicalKind(kind), containerId: id, logId, auditLogType };
}

function decodeLogId(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    // A stray `%` that is not an escape: keep the text as logged.
    return encoded;
  }
}

function canonicalKind(kind: string): string {
  const lowered = kind.toLowerCase();
  return lowered === 'billingaccounts' ? 'billingAccounts' : lowered;
}
