import { quoteNumber, quoteString } from '@ciem/clickhouse';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { Page, QueryStoreOptions } from './store.js';
import {
  dateTimeBetween,
  equalsIfSet,
  keysetAfter,
  select,
  tableName,
  toNumber,
  whereAll,
} from './store.js';
import type { TimeWindow } from './window.js';

/** Filters of `searchEvents`; permission and resource match one item of the event's lists. */
export interface EventFilter {
  window: TimeWindow;
  provider?: string | undefined;
  accountId?: string | undefined;
  principalId?: string | undefined;
  permission?: string | undefined;
  resource?: string | undefined;
  outcome?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** One event of a search: the columns of `events` that identify and describe a call. */
export interface EventSummary {
  event_id: string;
  provider: string;
  /** Epoch milliseconds. */
  event_time: number;
  account_id: string;
  region: string;
  principal_id: string;
  principal_type: string;
  principal_name: string;
  service: string;
  operation: string;
  permissions: string[];
  resources: string[];
  outcome: string;
  error_code: string;
  source_ip: string;
  user_agent: string;
}

type EventRow = Omit<EventSummary, 'event_time'> & { event_time_ms: string | number };

const CURSOR_KIND = 'events';

/**
 * Searches events in the window, newest first and then by event id descending, so the
 * order is total and a cursor resumes exactly after the last row. A redelivered event has
 * the same time and id as its copy, so the two sort next to each other and `LIMIT 1 BY
 * event_id` keeps one, without the cost of FINAL.
 */
export async function searchEvents(
  options: QueryStoreOptions,
  filter: EventFilter,
): Promise<Page<EventSummary>> {
  const conditions = [
    dateTimeBetween('event_time', filter.window),
    ...equalsIfSet('provider', filter.provider),
    ...equalsIfSet('account_id', filter.accountId),
    ...equalsIfSet('principal_id', filter.principalId),
    ...equalsIfSet('outcome', filter.outcome),
  ];
  if (filter.permission !== undefined) {
    conditions.push(`has(permissions, ${quoteString(filter.permission)})`);
  }
  if (filter.resource !== undefined) {
    conditions.push(`has(resources, ${quoteString(filter.resource)})`);
  }
  if (filter.cursor !== undefined) {
    const [time, eventId] = decodeCursor(CURSOR_KIND, filter.cursor, ['number', 'string']);
    conditions.push(
      keysetAfter([
        {
          column: 'event_time_ms',
          literal: quoteNumber(Number(time), { integer: true }),
          descending: true,
        },
        { column: 'event_id', literal: quoteString(String(eventId)), descending: true },
      ]),
    );
  }
  const rows = await select<EventRow>(
    options,
    `SELECT event_id, provider, event_time_ms, account_id, region, principal_id,
       principal_type, principal_name, service, operation, permissions, resources, outcome,
       error_code, source_ip, user_agent
     FROM ${tableName(options, 'events')}
     WHERE ${whereAll(conditions)}
     ORDER BY event_time_ms DESC, event_id DESC, ingest_time DESC
     LIMIT 1 BY event_id
     LIMIT ${quoteNumber(filter.limit + 1, { integer: true })}`,
  );
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ event_time_ms, ...row }) => ({
      ...row,
      event_time: toNumber(event_time_ms),
    })),
    next_cursor:
      rows.length > filter.limit && last !== undefined
        ? encodeCursor(CURSOR_KIND, [toNumber(last.event_time_ms), last.event_id])
        : null,
  };
}
