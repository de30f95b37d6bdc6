/**
 * The normalizer service: reads the raw topics, writes NormalizedEvents to Kafka and
 * ClickHouse, and dead-letters what it cannot normalize. See README.md for its settings.
 */
import { createLogger, createMetrics, startTracing } from '@ciem/telemetry';
import { kafkaSecurityOptions } from '@ciem/kafka';
import { loadConfigOrExit, runService } from '@ciem/runtime';
import { normalizerSchema } from './config.js';
import { wireNormalizer } from './wiring.js';

const service = 'normalizer';

const config = loadConfigOrExit(normalizerSchema, {
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
  stages: [wireNormalizer(values, { logger, metrics, tracing })],
  probe: { host: values.probeHost, port: values.probePort },
  shutdownTimeoutMs: values.shutdownTimeoutMs,
});
