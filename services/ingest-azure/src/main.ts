/**
 * The ingest-azure service: reads Azure Activity Log records from the event hub that Azure
 * Monitor exports them to, or from files once, and publishes them unchanged to the raw Kafka
 * topic. See README.md for its settings.
 */
import { runIngestService } from '@ciem/ingest';
import { ingestAzureSchema, modeProblems } from './config.js';
import { wireIngestAzure } from './wiring.js';

await runIngestService({
  service: 'ingest-azure',
  schema: ingestAzureSchema,
  modeProblems,
  wire: wireIngestAzure,
});
