/**
 * The query API service: principals, recommendations and reports, alerts and their
 * acknowledgement, event search and pipeline status over HTTP. See README.md for its
 * settings, endpoints and access policy.
 */
import { ConfigError } from '@ciem/errors';
import { kafkaSecurityOptions } from '@ciem/kafka';
import { EXIT_CONFIG_INVALID, loadConfigOrExit, runService } from '@ciem/runtime';
import { createLogger, createMetrics, startTracing } from '@ciem/telemetry';
import { apiSchema } from './config.js';
import type { ApiStage } from './wiring.js';
import { createAuthenticator, parseLagGroups, wireApi } from './wiring.js';

const service = 'api';

const config = loadConfigOrExit(apiSchema, {
  service,
  // Rejects TLS and SASL settings that only work together, malformed API keys or JWT key
  // settings, and malformed lag groups before anything connects, with the other problems.
  validate: (values) => {
    kafkaSecurityOptions(values);
    createAuthenticator(values);
    parseLagGroups(values.lagGroups, values.topicPrefix);
  },
});
const { values } = config;

const logger = createLogger({ service, level: values.logLevel });
const metrics = createMetrics({ service });

let stage: ApiStage;
try {
  stage = wireApi(values, { logger, metrics });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  logger.fatal(
    { code: error.code, err: error, exit_code: EXIT_CONFIG_INVALID },
    'invalid API configuration',
  );
  process.exit(EXIT_CONFIG_INVALID);
}

const tracing = startTracing({ service, otlpEndpoint: values.otlpEndpoint, logger });

await runService({
  name: service,
  config,
  logger,
  metrics,
  tracing,
  stages: [stage],
  probe: { host: values.probeHost, port: values.probePort },
  shutdownTimeoutMs: values.shutdownTimeoutMs,
});
