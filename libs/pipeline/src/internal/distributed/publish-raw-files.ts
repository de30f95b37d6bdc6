import type { Provider } from '@ciem/events';
import { normalizationErrorCode } from '@ciem/events';
import { InputError } from '@ciem/errors';
import type { KafkaProducer, MessageHeaders, OutgoingMessage, TopicNames } from '@ciem/kafka';
import { buildDeadLetterHeaders } from '@ciem/kafka';
import type { RawRecord, RecordReadError } from '@ciem/normalize';
import { readRecords } from '@ciem/normalize';
import type { DeadLetterRow } from '@ciem/event-store';
import { toDeadLetterRow } from '@ciem/event-store';
import { createReadStream } from 'node:fs';
import { rawRecordHeaders } from './raw-headers.js';
import { NORMALIZER_DEAD_LETTER_HEADERS } from './normalize-batch.js';
import { rawTopicFor } from './raw-topics.js';

/** Stage name of records the file ingest dead-letters itself. */
export const FILE_INGEST_STAGE = 'ingest-file';

/** Counts of one provider (or `unknown`) after publishing files. */
export interface PublishCounts {
  /** Records read, valid or not. */
  read: number;
  /** Records sent to a raw topic. */
  published: number;
  /** Records dead-lettered by the ingest itself (no provider, or no text to publish). */
  dead_lettered: number;
}

/** What `publishRawFiles` did. */
export interface PublishReport {
  files: number;
  bytes_read: number;
  providers: Record<string, PublishCounts>;
  /** Records dead-lettered by the ingest itself, per NormalizationError reason. */
  dead_letter_reasons: Record<string, number>;
}

/** Options of `publishRawFiles`. */
export interface PublishRawFilesOptions {
  files: readonly string[];
  producer: KafkaProducer;
  topics: TopicNames;
  /** When the records were read, epoch milliseconds; the `ingest_time` of every record. */
  ingestTime: number;
  /** Messages per produce call. */
  batchSize?: number;
  /** Receives the `dlq_events` rows of records the ingest dead-lettered, to store them. */
  onDeadLetter?: (row: DeadLetterRow) => Promise<void>;
  /** Called after each produce call with the records read so far. */
  onProgress?: (recordsRead: number, bytesRead: number) => void;
}

/** Returns the Kafka key of a raw record: its account, subscription or project, or null. */
export function rawRecordKey(provider: Provider, value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  if (provider === 'aws') {
    const account =
      record.recipientAccountId ??
      (record.userIdentity as Record<string, unknown> | undefined)?.accountId;
    return typeof account === 'string' ? account : null;
  }
  if (provider === 'azure') {
    const id = record.subscriptionId ?? record.resourceId ?? record.id;
    if (typeof id !== 'string') return null;
    const match = /^\/?subscriptions\/([^/]+)/i.exec(id);
    return match ? (match[1] as string).toLowerCase() : id;
  }
  const resource = record.resource as { labels?: Record<string, unknown> } | undefined;
  const project = resource?.labels?.project_id;
  if (typeof project === 'string') return project;
  const logName =
    typeof record.logName === 'string' ? /^projects\/([^/]+)/.exec(record.logName) : null;
  return logName ? (logName[1] as string) : null;
}

/**
 * Publishes the records of log files to the raw topics, as a file backfill ingest does: one
 * message per record with its original text, key = account, subscription or project, and
 * headers `source` (`file:<path>`), `raw_ref` (file and line), `ingest_time` and the trace context
 * (added by the producer). A record the reader could not frame but whose provider is known
 * (invalid JSON, a digest file) is published too, so the normalizer dead-letters it with
 * its reason. A record with no provider, or with no text (oversized), cannot go to a raw
 * topic: it is dead-lettered here with stage `ingest-file`.
 *
 * Resolves once the broker acknowledged every message. Throws what `KafkaProducer.send`
 * throws, and the file system's error for an unreadable file.
 */
export async function publishRawFiles(options: PublishRawFilesOptions): Promise<PublishReport> {
  const batchSize = options.batchSize ?? 500;
  const report: PublishReport = {
    files: options.files.length,
    bytes_read: 0,
    providers: {},
    dead_letter_reasons: {},
  };
  const countsOf = (provider: string): PublishCounts => {
    report.providers[provider] ??= { read: 0, published: 0, dead_lettered: 0 };
    return report.providers[provider];
  };
  let recordsRead = 0;
  const pending = new Map<string, OutgoingMessage[]>();
  const deadLetters: OutgoingMessage[] = [];
  const deadRows: DeadLetterRow[] = [];

  const flush = async (): Promise<void> => {
    for (const [topic, messages] of pending) await options.producer.send(topic, messages);
    pending.clear();
    await options.producer.send(options.topics.deadLetter, deadLetters.splice(0));
    for (const row of deadRows.splice(0)) await options.onDeadLetter?.(row);
    options.onProgress?.(recordsRead, report.bytes_read);
  };

  for (const file of options.files) {
    const stream = createReadStream(file);
    stream.on('data', (chunk) => {
      report.bytes_read += chunk.length;
    });
    for await (const item of readRecords(stream, { name: file })) {
      recordsRead += 1;
      const provider = providerOf(item);
      const text = 'kind' in item ? item.text : item.text;
      const counts = countsOf(provider ?? ('kind' in item ? item.provider : 'unknown'));
      counts.read += 1;
      const rawRef = 'kind' in item ? item.raw_ref : item.rawRef;

      if (provider !== undefined && text !== null) {
        const value = 'kind' in item ? undefined : item.value;
        const topic = rawTopicFor(options.topics, provider);
        const messages = pending.get(topic) ?? [];
        messages.push({
          key: value === undefined ? null : rawRecordKey(provider, value),
          value: text,
          headers: rawRecordHeaders(`file:${file}`, rawRef, options.ingestTime),
        });
        pending.set(topic, messages);
        counts.published += 1;
      } else {
        const letter = ingestDeadLetter(item, file, rawRef, text, options.ingestTime);
        deadLetters.push(letter.message);
        deadRows.push(letter.row);
        counts.dead_lettered += 1;
        report.dead_letter_reasons[letter.row.reason] =
          (report.dead_letter_reasons[letter.row.reason] ?? 0) + 1;
      }
      if (recordsRead % batchSize === 0) await flush();
    }
  }
  await flush();
  return report;
}

function providerOf(item: RawRecord | RecordReadError): Provider | undefined {
  if (!('kind' in item)) return item.provider;
  return item.provider === 'unknown' ? undefined : item.provider;
}

/** Builds the dead letter of a record the ingest cannot publish. */
function ingestDeadLetter(
  item: RawRecord | RecordReadError,
  file: string,
  rawRef: string,
  text: string | null,
  ingestTime: number,
): { message: OutgoingMessage; row: DeadLetterRow } {
  const reason = 'kind' in item ? item.reason : 'unsupported-provider';
  const message =
    'kind' in item
      ? item.message
      : `Record ${rawRef} matches no known provider. Expected a CloudTrail record (eventVersion, eventSource, eventName), an Azure Activity Log record (operationName with resourceId or category) or a GCP LogEntry (protoPayload, logName, insertId). Check that the file holds audit logs.`;
  const error = new InputError(normalizationErrorCode(reason), message, {
    details: { reason, raw_ref: rawRef },
  });
  const provider = 'kind' in item ? item.provider : 'unknown';
  const field = 'kind' in item ? item.field : null;
  // The record has no Kafka position yet: the position headers name the file and line.
  const original = { topic: '', partition: -1, offset: '-1', key: null, value: text };
  const headers: MessageHeaders = {
    ...rawRecordHeaders(`file:${file}`, rawRef, ingestTime),
    ...buildDeadLetterHeaders({ original, error, stage: FILE_INGEST_STAGE }),
    [NORMALIZER_DEAD_LETTER_HEADERS.provider]: provider,
    [NORMALIZER_DEAD_LETTER_HEADERS.reason]: reason,
  };
  if (field !== null) headers[NORMALIZER_DEAD_LETTER_HEADERS.field] = field;
  const row = toDeadLetterRow({
    stage: FILE_INGEST_STAGE,
    error,
    original,
    deadLetteredAt: ingestTime,
    dedupeKey: `file:${rawRef}`,
    provider,
    reason,
    field,
    sourceRef: rawRef,
  });
  return { message: { key: null, value: text, headers }, row };
}
