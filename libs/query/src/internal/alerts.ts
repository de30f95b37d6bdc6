import { MAX_ALERT_WINDOW_MS } from '@ciem/anomaly';
import { quoteNumber, quoteString } from '@ciem/clickhouse';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { Page, QueryStoreOptions } from './store.js';
import {
  dateTimeBetween,
  equalsIfSet,
  keysetAfter,
  quoteInList,
  select,
  tableName,
  toNumber,
  whereAll,
} from './store.js';
import type { TimeWindow } from './window.js';

/** Filters of `listAlerts`; the window applies to the alert's first event (`first_seen`). */
export interface AlertFilter {
  window: TimeWindow;
  /** Any of these severities; all when empty or absent. */
  severities?: readonly string[] | undefined;
  ruleId?: string | undefined;
  principalId?: string | undefined;
  /** true: acknowledged alerts only; false: unacknowledged only; absent: both. */
  acknowledged?: boolean | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** An acknowledgement of an alert, a row of `alert_acks` (schemas/clickhouse/0007_alert_acks.sql). */
export interface AlertAck {
  alert_id: string;
  /** Epoch milliseconds. */
  acknowledged_at: number;
  acknowledged_by: string;
  note: string;
}

/** The latest version of an alert (schemas/clickhouse/0006_alerts.sql) with its acknowledgement. */
export interface AlertSummary {
  alert_id: string;
  rule_id: string;
  rule_name: string;
  severity: string;
  provider: string;
  account_id: string;
  principal_id: string;
  principal_type: string;
  principal_name: string;
  title: string;
  description: string;
  mitre_techniques: string[];
  first_seen: number;
  last_seen: number;
  event_count: number;
  evidence_event_ids: string[];
  source_ips: string[];
  /** JSON text of the alert's details. */
  details: string;
  acknowledgement: AlertAck | null;
}

type AlertRow = Omit<
  AlertSummary,
  'acknowledgement' | 'first_seen' | 'last_seen' | 'event_count'
> & {
  first_seen_ms: string | number;
  last_seen_ms: string | number;
  event_count: string | number;
};

const CURSOR_KIND = 'alerts';

const LATEST_ACK_COLUMNS = `alert_id, max(acknowledged_at_ms) AS acknowledged_at,
  argMax(acknowledged_by, acknowledged_at_ms) AS acknowledged_by,
  argMax(note, acknowledged_at_ms) AS note`;

/** Reads the latest acknowledgement of each alert of `ids`, keyed by alert id. */
export async function readAcks(
  options: QueryStoreOptions,
  ids: readonly string[],
): Promise<Map<string, AlertAck>> {
  if (ids.length === 0) return new Map();
  const rows = await select<AlertAck & { acknowledged_at: string | number }>(
    options,
    `SELECT ${LATEST_ACK_COLUMNS}
     FROM ${tableName(options, 'alert_acks')}
     WHERE alert_id IN ${quoteInList(ids)}
     GROUP BY alert_id`,
  );
  return new Map(
    rows.map((row) => [row.alert_id, { ...row, acknowledged_at: toNumber(row.acknowledged_at) }]),
  );
}

const ALERT_COLUMNS = `alert_id, rule_id, rule_name, severity, provider, account_id, principal_id,
  principal_type, principal_name, title, description, mitre_techniques, first_seen_ms,
  last_seen_ms, event_count, evidence_event_ids, source_ips, details`;

/**
 * Lists the latest version of each alert whose first event lies in the window, newest
 * first (then by alert id), with keyset paging. It reads `alerts_by_time`, the copy of
 * `alerts` sorted by aggregation window, with FINAL, so only the window's range is decoded.
 */
export async function listAlerts(
  options: QueryStoreOptions,
  filter: AlertFilter,
): Promise<Page<AlertSummary>> {
  const conditions = [
    dateTimeBetween('first_seen', filter.window),
    ...equalsIfSet('rule_id', filter.ruleId),
    ...equalsIfSet('principal_id', filter.principalId),
  ];
  if (filter.severities !== undefined && filter.severities.length > 0) {
    conditions.push(`severity IN ${quoteInList(filter.severities)}`);
  }
  if (filter.acknowledged !== undefined) {
    const negation = filter.acknowledged ? '' : 'NOT ';
    conditions.push(
      `alert_id ${negation}IN (SELECT alert_id FROM ${tableName(options, 'alert_acks')})`,
    );
  }
  if (filter.cursor !== undefined) {
    const [firstSeen, alertId] = decodeCursor(CURSOR_KIND, filter.cursor, ['number', 'string']);
    conditions.push(
      keysetAfter([
        {
          column: 'first_seen_ms',
          literal: quoteNumber(Number(firstSeen), { integer: true }),
          descending: true,
        },
        { column: 'alert_id', literal: quoteString(String(alertId)) },
      ]),
    );
  }
  // alerts_by_time is sorted by window_start_ms. An alert's first event lies within its
  // aggregation window, at most one day long (MAX_ALERT_WINDOW_MS of @ciem/anomaly), so this
  // bound lets the primary index skip every alert that cannot be in the window.
  conditions.push(
    `window_start_ms >= ${quoteNumber(Math.max(0, filter.window.fromMs - MAX_ALERT_WINDOW_MS), { integer: true })} AND window_start_ms <= ${quoteNumber(filter.window.toMs, { integer: true })}`,
  );
  const rows = await select<AlertRow>(
    options,
    `SELECT ${ALERT_COLUMNS}
     FROM ${tableName(options, 'alerts_by_time')} FINAL
     WHERE ${whereAll(conditions)}
     ORDER BY first_seen_ms DESC, alert_id
     LIMIT ${quoteNumber(filter.limit + 1, { integer: true })}`,
  );
  const page = rows.slice(0, filter.limit);
  const acks = await readAcks(
    options,
    page.map((row) => row.alert_id),
  );
  const items = page.map((row): AlertSummary => {
    const { first_seen_ms, last_seen_ms, event_count, ...rest } = row;
    return {
      ...rest,
      first_seen: toNumber(first_seen_ms),
      last_seen: toNumber(last_seen_ms),
      event_count: toNumber(event_count),
      acknowledgement: acks.get(row.alert_id) ?? null,
    };
  });
  const last = page.at(-1);
  return {
    items,
    next_cursor:
      rows.length > filter.limit && last !== undefined
        ? encodeCursor(CURSOR_KIND, [toNumber(last.first_seen_ms), last.alert_id])
        : null,
  };
}

/** Returns true when the `alerts` table contains a row with this id (any time). */
export async function alertExists(options: QueryStoreOptions, alertId: string): Promise<boolean> {
  // alert_id is the sorting key, so this reads one granule per part.
  const rows = await select<{ found: number }>(
    options,
    `SELECT count() > 0 AS found FROM ${tableName(options, 'alerts')}
     WHERE alert_id = ${quoteString(alertId)}`,
  );
  return rows[0]?.found === 1;
}

/**
 * Lists every acknowledgement of an alert, oldest first, from `alert_ack_history`
 * (schemas/clickhouse/0011_alert_ack_history.sql). Empty for an alert never acknowledged.
 */
export async function listAlertAcks(
  options: QueryStoreOptions,
  alertId: string,
): Promise<AlertAck[]> {
  const rows = await select<AlertAck & { acknowledged_at: string | number }>(
    options,
    `SELECT alert_id, acknowledged_at_ms AS acknowledged_at, acknowledged_by, note
     FROM ${tableName(options, 'alert_ack_history')} FINAL
     WHERE alert_id = ${quoteString(alertId)}
     ORDER BY acknowledged_at_ms, acknowledged_by, note`,
  );
  return rows.map((row) => ({ ...row, acknowledged_at: toNumber(row.acknowledged_at) }));
}

/** Inserts an acknowledgement row; the alert is the one named in `ack`. */
export async function acknowledgeAlert(options: QueryStoreOptions, ack: AlertAck): Promise<void> {
  await options.clickhouse.insert(`${options.database}.alert_acks`, [
    {
      alert_id: ack.alert_id,
      acknowledged_at: Math.floor(ack.acknowledged_at / 1000),
      acknowledged_at_ms: ack.acknowledged_at,
      acknowledged_by: ack.acknowledged_by,
      note: ack.note,
    },
  ]);
}
