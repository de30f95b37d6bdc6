/**
 * The anomaly analyzer service: reads NormalizedEvents, runs the anomaly detectors per
 * principal, and writes alerts to Kafka and ClickHouse. See README.md for its settings.
 */
import { createLogger, createMetrics, startTracing } from '@ciem/telemetry';
import { kafkaSecurityOptions } from '@ciem/kafka';
import { loadConfigOrExit, runService } from '@ciem/runtime';
import { analyzerAnomalySchema } from './config.js';
import { wireAnalyzerAnomaly } from './wiring.js';

const service = 'analyzer-anomaly';

const config = loadConfigOrExit(analyzerAnomalySchema, {
  service,
  // Rejects TLS and SASL settings that only work together before anything connects.
  validate: (values) => void kafkaSecurityOptions(values),
});
const { values } = config;

const logger = createLogger({ service, level: values.logLevel });
const metrics = createMetrics({ service });
const tracing = startTracing({ service, otlpEndpoint: values.otlpEndpoint, logger });

await runService({
  name: service,
  config,
  logger,
  metrics,
  tracing,
  stages: [wireAnalyzerAnomaly(values, { logger, metrics })],
  probe: { host: values.probeHost, port: values.probePort },
  shutdownTimeoutMs: values.shutdownTimeoutMs,
});
