import { quoteNumber } from '@ciem/clickhouse';
import type { QueryStoreOptions } from './store.js';
import { dateTimeBetween, select, tableName, toNumber } from './store.js';
import type { TimeWindow } from './window.js';

/** Dead-lettered records of one stage, reason, provider and error code in a window. */
export interface DeadLetterCount {
  stage: string;
  reason: string;
  provider: string;
  error_code: string;
  /** Distinct dead-letter records (by `dedupe_key`). */
  records: number;
  /** Latest `dead_lettered_at`, epoch milliseconds. */
  last_dead_lettered_at: number;
}

interface CountRow extends Omit<DeadLetterCount, 'records' | 'last_dead_lettered_at'> {
  records: string | number;
  last_dead_lettered_at: string | number;
}

/**
 * Counts the `dlq_events` rows of the window by stage, reason, provider and error code,
 * largest group first. Returns at most `limit` groups and whether more exist.
 */
export async function countDeadLetters(
  options: QueryStoreOptions,
  window: TimeWindow,
  limit: number,
): Promise<{ groups: DeadLetterCount[]; truncated: boolean }> {
  const rows = await select<CountRow>(
    options,
    `SELECT stage, reason, provider, error_code, uniqExact(dedupe_key) AS records,
       toUnixTimestamp(max(dead_lettered_at)) * 1000 AS last_dead_lettered_at
     FROM ${tableName(options, 'dlq_events')}
     WHERE ${dateTimeBetween('dead_lettered_at', window)}
     GROUP BY stage, reason, provider, error_code
     ORDER BY records DESC, stage, reason, provider, error_code
     LIMIT ${quoteNumber(limit + 1, { integer: true })}`,
  );
  return {
    groups: rows.slice(0, limit).map((row) => ({
      ...row,
      records: toNumber(row.records),
      last_dead_lettered_at: toNumber(row.last_dead_lettered_at),
    })),
    truncated: rows.length > limit,
  };
}
