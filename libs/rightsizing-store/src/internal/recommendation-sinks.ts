import type { BatchWriter, ClickHouse, ClickHouseLogger, RetryOptions } from '@ciem/clickhouse';
import { createBatchWriter } from '@ciem/clickhouse';
import type { KafkaProducer, OutgoingMessage } from '@ciem/kafka';
import { sendInBatches } from '@ciem/kafka';
import type { RightsizingResult } from '@ciem/rightsizing';
import type { RecommendationRow } from './recommendation-row.js';
import { RECOMMENDATION_COLUMNS, toRecommendationRow } from './recommendation-row.js';

/** Header names of `ciem.recommendations` messages. */
export const RECOMMENDATION_HEADERS = Object.freeze({
  /** `aws`, `azure` or `gcp`. */
  provider: 'provider',
  /** The result's `account_id`. */
  accountId: 'account_id',
  /** The analysis window's end, milliseconds since the Unix epoch, as a decimal string. */
  windowEnd: 'window_end',
});

/**
 * Encodes one result as a `ciem.recommendations` message: key `principal_id`, so the
 * compacted topic keeps each principal's latest result, and value the `RightsizingResult`
 * JSON.
 */
export function encodeRecommendationMessage(result: RightsizingResult): OutgoingMessage {
  return {
    key: result.principal_id,
    value: JSON.stringify(result),
    headers: {
      [RECOMMENDATION_HEADERS.provider]: result.provider,
      [RECOMMENDATION_HEADERS.accountId]: result.account_id,
      [RECOMMENDATION_HEADERS.windowEnd]: String(result.window.end),
    },
  };
}

/** Options of `publishRecommendations`. */
export interface PublishRecommendationsOptions {
  readonly producer: Pick<KafkaProducer, 'send'>;
  /** The recommendations topic with its prefix, from `topicNames(prefix).recommendations`. */
  readonly topic: string;
  /** Results per `send`; each send resolves once the broker acknowledged it. 100 by default. */
  readonly batchSize?: number;
}

/**
 * Writes results to the recommendations topic, one message per principal, and resolves
 * with the number of messages once every one is acknowledged (acks=all). Throws the
 * producer's errors (`DependencyError` to retry).
 */
export async function publishRecommendations(
  options: PublishRecommendationsOptions,
  results: Iterable<RightsizingResult>,
): Promise<number> {
  return sendInBatches(
    options.producer,
    options.topic,
    results,
    encodeRecommendationMessage,
    options.batchSize ?? 100,
  );
}

/** Options of `createRecommendationWriter`. */
export interface RecommendationWriterOptions {
  readonly client: Pick<ClickHouse, 'insert'>;
  /** Database holding the `recommendations` table, as `runMigrations` created it. */
  readonly database: string;
  /** Rows per INSERT. */
  readonly maxRows: number;
  /** Maximum time a row waits before its batch is written, in milliseconds. */
  readonly maxWaitMs: number;
  readonly retry?: RetryOptions;
  readonly logger?: ClickHouseLogger;
}

/** Creates the batch writer of the `recommendations` table. */
export function createRecommendationWriter(
  options: RecommendationWriterOptions,
): BatchWriter<RecommendationRow> {
  return createBatchWriter<RecommendationRow>({
    client: options.client,
    table: `${options.database}.recommendations`,
    columns: RECOMMENDATION_COLUMNS,
    maxRows: options.maxRows,
    maxWaitMs: options.maxWaitMs,
    maxBufferedRows: options.maxRows * 4,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
}

/**
 * Adds every result to the writer, then flushes it, so the results are in ClickHouse when
 * this resolves. Returns the number of rows.
 */
export async function writeRecommendationRows(
  writer: BatchWriter<RecommendationRow>,
  results: Iterable<RightsizingResult>,
  writtenAtMs: number,
): Promise<number> {
  let rows = 0;
  for (const result of results) {
    await writer.add(toRecommendationRow(result, writtenAtMs));
    rows += 1;
  }
  await writer.flush();
  return rows;
}
