/**
 * Names of the headers every record on a raw topic carries, next to the W3C trace context
 * (`traceparent`, `tracestate`). The normalizer copies them into `raw_ref` and logs.
 */
export const RAW_HEADERS = Object.freeze({
  /**
   * Where the record was read: `s3://bucket/key`, `file:/path`, `sqs:<message id>`,
   * `lookup:<region>`, `eventhub:<partition>/<sequence>` or `pubsub:<message id>`.
   */
  source: 'source',
  /** Position inside the source: `name:line` or `name:line#index` (see `RawRecord.rawRef`). */
  rawRef: 'raw_ref',
  /** Time the ingest service read the record, in milliseconds since the epoch (decimal string). */
  ingestTime: 'ingest_time',
});

/**
 * Headers of a record the ingest dead-lettered, next to `DEAD_LETTER_HEADERS` of the Kafka
 * library. They carry the same names as the normalizer's, so the dead-letter sink fills the
 * `provider`, `reason` and `field` columns of `dlq_events` alike for both stages.
 */
export const INGEST_DEAD_LETTER_HEADERS = Object.freeze({
  /** The provider of the raw topic the record was read for: `aws`, `azure` or `gcp`. */
  provider: 'provider',
  /**
   * The reason the record could not be read, such as `invalid-json` or `oversized`; absent when
   * no short reason applies.
   */
  reason: 'error.reason',
  /** JSON path of the field at fault, when known. */
  field: 'error.field',
});
