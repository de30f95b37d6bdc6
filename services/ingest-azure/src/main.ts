/**
 * The ingest-azure service: reads Azure Activity Log records from the event hub that Azure
 * Monitor exports them to, or from files once, and publishes them unchanged to the raw Kafka
 * topic. See README.md for its settings.
 */
import { EXIT_CONFIG_INVALID, loadConfigOrExit, runService } from '@ciem/runtime';
import { createLogger, createMetrics, startTracing } from '@ciem/telemetry';
import { ingestAzureSchema, modeProblems } from './config.js';
import { wireIngestAzure } from './wiring.js';

const service = 'ingest-azure';

const config = loadConfigOrExit(ingestAzureSchema, { service });
const { values } = config;

const logger = createLogger({ service, level: values.logLevel });
const problems = modeProblems(values);
if (problems.length > 0) {
  logger.fatal(
    { code: 'CIEM_CONFIG_INVALID', problems, exit_code: EXIT_CONFIG_INVALID },
    `invalid configuration: ${problems.join('; ')}`,
  );
  process.exit(EXIT_CONFIG_INVALID);
}
const metrics = createMetrics({ service });
const tracing = startTracing({ service, otlpEndpoint: values.otlpEndpoint, logger });

const stage = wireIngestAzure(values, { logger, metrics });
const running = await runService({
  name: service,
  config,
  logger,
  metrics,
  tracing,
  stages: [stage],
  probe: { host: values.probeHost, port: values.probePort },
  shutdownTimeoutMs: values.shutdownTimeoutMs,
});

if (values.mode === 'backfill') {
  await stage.backfillFinished;
  await running.stop('backfill finished');
}
