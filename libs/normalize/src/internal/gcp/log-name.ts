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

const AUDIT_LOG_PREFIX = 'cloudaudit.googleapis.com/';

const CONTAINER_KINDS: ReadonlySet<string> = new Set([
  'projects',
  'organizations',
  'folders',
  'billingaccounts',
]);
const LOGS_SEGMENT = 'logs/';
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/**
 * Parses a `logName`; undefined when it does not have the documented form. The kind and
 * `logs` match in any case.
 */
export function parseLogName(logName: string): LogNameParts | undefined {
  const text = logName.trim();
  const kindEnd = text.indexOf('/');
  if (kindEnd <= 0) return undefined;
  const kind = text.slice(0, kindEnd);
  if (!CONTAINER_KINDS.has(kind.toLowerCase())) return undefined;
  const idEnd = text.indexOf('/', kindEnd + 1);
  if (idEnd <= kindEnd + 1) return undefined;
  const logsEnd = idEnd + 1 + LOGS_SEGMENT.length;
  if (text.slice(idEnd + 1, logsEnd).toLowerCase() !== LOGS_SEGMENT) return undefined;
  const encodedLogId = text.slice(logsEnd);
  // The log id is one line of at least one character.
  if (encodedLogId === '' || LINE_TERMINATOR.test(encodedLogId)) return undefined;
  const id = text.slice(kindEnd + 1, idEnd);

  const logId = decodeLogId(encodedLogId);
  const auditLogType = logId.toLowerCase().startsWith(AUDIT_LOG_PREFIX)
    ? logId.slice(AUDIT_LOG_PREFIX.length).toLowerCase()
    : undefined;
  return { containerKind: canonicalKind(kind), containerId: id, logId, auditLogType };
}

function decodeLogId(encoded: string): string {
  const escape = encoded.indexOf('%');
  if (escape < 0) return encoded;
  // Audit log ids hold one escape, the `%2F` of `cloudaudit.googleapis.com%2Factivity`,
  // which decodeURIComponent would also turn into `/`.
  const slash = encoded.slice(escape, escape + 3);
  if ((slash === '%2F' || slash === '%2f') && !encoded.includes('%', escape + 3)) {
    return `${encoded.slice(0, escape)}/${encoded.slice(escape + 3)}`;
  }
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
