/**
 * The ingest-gcp service: reads GCP Cloud Audit Log entries from the Pub/Sub subscription of
 * a Cloud Logging sink, or from files once, and publishes them unchanged to the raw Kafka
 * topic. See README.md for its settings.
 */
import { runIngestService } from '@ciem/ingest';
import { ingestGcpSchema, modeProblems } from './config.js';
import { wireIngestGcp } from './wiring.js';

await runIngestService({
  service: 'ingest-gcp',
  schema: ingestGcpSchema,
  modeProblems,
  wire: wireIngestGcp,
});
