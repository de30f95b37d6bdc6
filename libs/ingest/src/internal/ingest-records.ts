import { InputError } from '@ciem/errors';
import { normalizationErrorCode } from '@ciem/events';
import type { RawRecord, RecordReadError } from '@ciem/normalize';
import { IngestErrorCodes } from './errors.js';
import type { RawPublishRecord, RawPublisher } from './raw-publisher.js';

/** Options of {@link ingestRecords}. */
export interface IngestRecordsOptions {
  /** Records as `readRecords` from `@ciem/normalize` yields them. */
  records: AsyncIterable<RawRecord | RecordReadError>;
  /** The `source` header of every record, such as `s3://bucket/key` or `file:/path`. */
  source: string;
  publisher: RawPublisher;
  /** Kafka key of every record; by default each record's own key (see `RawPublishRecord.key`). */
  key?: string | null;
  /** Stops reading at the next record once aborted; what was read is still acknowledged. */
  signal?: AbortSignal;
}

/** Counts of one source, all acknowledged by Kafka. */
export interface IngestReport {
  /** Records on the raw topic. */
  records: number;
  /** Bytes of those records. */
  bytes: number;
  /** Records on the dead-letter topic. */
  deadLettered: number;
}

/** Turns a reader's error value into the error a dead letter carries. */
export function readErrorToInputError(problem: RecordReadError): InputError {
  return new InputError(normalizationErrorCode(problem.reason), problem.message, {
    details: {
      raw_ref: problem.raw_ref,
      reason: problem.reason,
      field: problem.field ?? undefined,
    },
  });
}

/**
 * Publishes the records of one source to the publisher's raw topic and dead-letters the
 * ones the reader could not read, or that belong to another provider
 * (`CIEM_INGEST_WRONG_PROVIDER`), so every record read ends up on one of the two topics.
 * Resolves once Kafka acknowledged all of them: only then may the caller acknowledge the
 * source. Rejects with a read error of the source (the file system's or the network's
 * error) or a Kafka error; records before it may be published, so a retry of the source
 * can duplicate them.
 */
export async function ingestRecords(options: IngestRecordsOptions): Promise<IngestReport> {
  const { publisher, source, signal } = options;
  let deadLettered = 0;

  async function* accepted(): AsyncGenerator<RawPublishRecord> {
    for await (const item of options.records) {
      if (signal?.aborted === true) return;
      if ('kind' in item) {
        await publisher.deadLetter({
          value: item.text,
          key: options.key,
          source,
          rawRef: item.raw_ref,
          error: readErrorToInputError(item),
        });
        deadLettered += 1;
        continue;
      }
      if (item.provider !== undefined && item.provider !== publisher.provider) {
        await publisher.deadLetter({
          value: item.text,
          key: options.key,
          source,
          rawRef: item.rawRef,
          error: new InputError(
            IngestErrorCodes.wrongProvider,
            `Record ${item.rawRef} is a ${item.provider} record, but ${source} is read for ${publisher.provider}; ingest it with the ${item.provider} ingest service.`,
            { details: { raw_ref: item.rawRef } },
          ),
        });
        deadLettered += 1;
        continue;
      }
      yield {
        value: item.text,
        parsed: item.value,
        source,
        rawRef: item.rawRef,
        ...(options.key === undefined ? {} : { key: options.key }),
      };
    }
  }

  const published = await publisher.publishStream(accepted());
  return {
    records: published.records,
    bytes: published.bytes,
    deadLettered: deadLettered + published.deadLettered,
  };
}
