import type { RightsizingResult } from '@ciem/rightsizing';
import { teamOf } from './report-model.js';

/** Columns of the CSV report, in order. */
export const CSV_COLUMNS: readonly string[] = [
  'provider',
  'account_id',
  'team',
  'principal_id',
  'principal_type',
  'principal_name',
  'status',
  'score',
  'confidence',
  'recommendation',
  'permission',
  'risk',
  'service',
];

/**
 * Quotes one CSV field (RFC 4180): a field containing a comma, a double quote, CR or LF is
 * wrapped in double quotes with inner quotes doubled. A field starting with `=`, `+`, `-`,
 * `@`, TAB or CR gets a leading `'` first, so that spreadsheet programs show it as text
 * instead of evaluating it as a formula (the CSV injection guard OWASP describes).
 */
export function quoteCsvField(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

function csvLine(fields: readonly string[]): string {
  return fields.map(quoteCsvField).join(',');
}

/**
 * Renders results as CSV with a header row and CRLF line ends: one row per principal and
 * permission its recommendation removes, and one row with an empty `permission` for a
 * principal whose recommendation removes nothing, so that every principal appears. Rows
 * follow the order of `results`.
 */
export function renderCsv(results: readonly RightsizingResult[]): string {
  const lines = [csvLine(CSV_COLUMNS)];
  for (const result of results) {
    const principal = [
      result.provider,
      result.account_id,
      teamOf(result),
      result.principal_id,
      result.principal_type,
      result.principal_name,
      result.status,
      String(result.score),
      String(result.confidence.value),
      result.recommendation.kind,
    ];
    const unused = new Map(result.unused.map((entry) => [entry.permission, entry]));
    if (result.recommendation.removes.length === 0) {
      lines.push(csvLine([...principal, '', '', '']));
      continue;
    }
    for (const permission of result.recommendation.removes) {
      const entry = unused.get(permission);
      lines.push(csvLine([...principal, permission, entry?.risk ?? '', entry?.service ?? '']));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
