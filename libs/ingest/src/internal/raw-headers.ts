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
