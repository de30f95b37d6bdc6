/**
 * The ingest-gcp service: reads GCP Cloud Audit Log entries from the Pub/Sub subscription of
 * a Cloud Logging sink, or from files once, and publishes them unchanged to the raw Kafka
 * topic. See README.md for its settings.
 */
import { EXIT_CONFIG_INVALID, loadConfigOrExit, runService } from '@ciem/runtime';
import { createLogger, createMetrics, startTracing } from '@ciem/telemetry';
import { ingestGcpSchema, modeProblems } from './config.js';
import { wireIngestGcp } from './wiring.js';

const service = 'ingest-gcp';

const config = loadConfigOrExit(ingestGcpSchema, { service });
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

const stage = wireIngestGcp(values, { logger, metrics });
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
