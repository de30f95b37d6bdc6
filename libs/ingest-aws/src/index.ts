/**
 * AWS ingest adapters: CloudTrail delivered through S3 and SQS, the LookupEvents poller and
 * backfill from S3 prefixes. They publish through `@ciem/ingest`.
 */
export {};
