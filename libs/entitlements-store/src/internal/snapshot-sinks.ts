import type { BatchWriter, ClickHouse, ClickHouseLogger, RetryOptions } from '@ciem/clickhouse';
import { createBatchWriter } from '@ciem/clickhouse';
import type { AnyPrincipalEntitlements, SnapshotHeader } from '@ciem/entitlements';
import { principalToJson } from '@ciem/entitlements';
import type { KafkaProducer, OutgoingMessage } from '@ciem/kafka';
import { sendInBatches } from '@ciem/kafka';
import type { EntitlementRow } from './entitlement-row.js';
import { ENTITLEMENT_COLUMNS, toEntitlementRows } from './entitlement-row.js';

/** Header names of `ciem.entitlements` messages. */
export const ENTITLEMENT_HEADERS = Object.freeze({
  /** `aws`, `azure` or `gcp`. */
  provider: 'provider',
  /** The snapshot's `account_id`. */
  accountId: 'account_id',
  /** The snapshot's `taken_at`, milliseconds since the Unix epoch, as a decimal string. */
  takenAt: 'taken_at',
});

/**
 * Encodes one principal as a `ciem.entitlements` message: key `principal_id`, so the
 * compacted topic keeps each principal's latest entitlements, and value the
 * `PrincipalEntitlements` JSON with the snapshot's `taken_at` added as its first field.
 */
export function encodeEntitlementMessage(
  header: SnapshotHeader,
  principal: AnyPrincipalEntitlements,
): OutgoingMessage {
  const body = principalToJson(principal);
  return {
    key: principal.principal_id,
    value: `{"taken_at":${header.taken_at},${body.slice(1)}`,
    headers: {
      [ENTITLEMENT_HEADERS.provider]: header.provider,
      [ENTITLEMENT_HEADERS.accountId]: header.account_id,
      [ENTITLEMENT_HEADERS.takenAt]: String(header.taken_at),
    },
  };
}

/** Options of `publishSnapshot`. */
export interface PublishSnapshotOptions {
  readonly producer: Pick<KafkaProducer, 'send'>;
  /** The entitlements topic with its prefix, from `topicNames(prefix).entitlements`. */
  readonly topic: string;
  /** Principals per `send`; each send resolves once the broker acknowledged it. */
  readonly batchSize?: number;
}

/**
 * Writes a snapshot to the entitlements topic, one message per principal, and resolves
 * once every message is acknowledged (acks=all). Returns the number of messages. Throws
 * the producer's errors (`DependencyError` to retry).
 *
 * NOTE: one message contains all of a principal's grants. An administrator expanded to
 * tens of thousands of operations makes megabytes of JSON, so it fits the broker's
 * `message.max.bytes` only with a compressing producer (`gzip: true`). A principal still
 * too large after compression is rejected with `CIEM_KAFKA_MESSAGE_TOO_LARGE`.
 */
export async function publishSnapshot(
  options: PublishSnapshotOptions,
  header: SnapshotHeader,
  principals: Iterable<AnyPrincipalEntitlements>,
): Promise<number> {
  return sendInBatches(
    options.producer,
    options.topic,
    principals,
    (principal) => encodeEntitlementMessage(header, principal),
    options.batchSize ?? 100,
  );
}

/** Options of `createEntitlementWriter`. */
export interface EntitlementWriterOptions {
  readonly client: Pick<ClickHouse, 'insert'>;
  /** Database holding the `entitlements` table, as `runMigrations` created it. */
  readonly database: string;
  /** Rows per INSERT. */
  readonly maxRows: number;
  /** Maximum time a row waits before its batch is written, in milliseconds. */
  readonly maxWaitMs: number;
  readonly retry?: RetryOptions;
  readonly logger?: ClickHouseLogger;
}

/** Creates the batch writer of the `entitlements` table. */
export function createEntitlementWriter(
  options: EntitlementWriterOptions,
): BatchWriter<EntitlementRow> {
  return createBatchWriter<EntitlementRow>({
    client: options.client,
    table: `${options.database}.entitlements`,
    columns: ENTITLEMENT_COLUMNS,
    maxRows: options.maxRows,
    maxWaitMs: options.maxWaitMs,
    maxBufferedRows: options.maxRows * 4,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
}

/**
 * Adds every grant of a snapshot to the writer, then flushes it, so the snapshot is in
 * ClickHouse when this resolves. Returns the number of rows. `writtenAtMs` is the row
 * version; writing the same snapshot again replaces its rows on merge instead of adding
 * new ones.
 */
export async function writeSnapshotRows(
  writer: BatchWriter<EntitlementRow>,
  header: SnapshotHeader,
  principals: Iterable<AnyPrincipalEntitlements>,
  writtenAtMs: number,
): Promise<number> {
  let rows = 0;
  for (const principal of principals) {
    for (const row of toEntitlementRows(header, principal, writtenAtMs)) {
      await writer.add(row);
      rows += 1;
    }
  }
  await writer.flush();
  return rows;
}
