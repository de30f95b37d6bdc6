/**
 * The ingest-aws service: reads CloudTrail records from S3 deliveries announced on SQS,
 * from LookupEvents, or from files and S3 prefixes once, and publishes them unchanged to
 * the raw Kafka topic. See README.md for its settings.
 */
import { runIngestService } from '@ciem/ingest';
import { ingestAwsSchema, modeProblems } from './config.js';
import { wireIngestAws } from './wiring.js';

await runIngestService({
  service: 'ingest-aws',
  schema: ingestAwsSchema,
  modeProblems,
  wire: wireIngestAws,
});
