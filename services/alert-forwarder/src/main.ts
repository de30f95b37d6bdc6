/**
 * The alert-forwarder service: reads alerts from Kafka and delivers them to the SIEM
 * destinations of its destinations file. See README.md for its settings and that file.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '@ciem/errors';
import { kafkaSecurityOptions } from '@ciem/kafka';
import { EXIT_CONFIG_INVALID, loadConfigOrExit, runService } from '@ciem/runtime';
import type { DestinationsConfig } from '@ciem/siem';
import { SiemErrorCodes, parseDestinations } from '@ciem/siem';
import { createLogger, createMetrics, startTracing } from '@ciem/telemetry';
import { forwarderSchema } from './config.js';
import { wireForwarder } from './wiring.js';

const service = 'alert-forwarder';

const config = loadConfigOrExit(forwarderSchema, {
  service,
  // Rejects TLS and SASL settings that only work together before anything connects.
  validate: (values) => void kafkaSecurityOptions(values),
});
const { values } = config;

const logger = createLogger({ service, level: values.logLevel });

let destinations: DestinationsConfig;
try {
  destinations = parseDestinations(readFileSync(values.destinationsFile, 'utf8'), {
    env: process.env,
    readFile: (path) => readFileSync(path, 'utf8'),
  });
} catch (error) {
  // A file that cannot be read is reported with the same code as an invalid one.
  const code = error instanceof ConfigError ? error.code : SiemErrorCodes.invalidDestinations;
  logger.fatal(
    { code, file: values.destinationsFile, err: error, exit_code: EXIT_CONFIG_INVALID },
    'invalid destinations file',
  );
  process.exit(EXIT_CONFIG_INVALID);
}

const metrics = createMetrics({ service });
const tracing = startTracing({ service, otlpEndpoint: values.otlpEndpoint, logger });

await runService({
  name: service,
  config,
  logger,
  metrics,
  tracing,
  stages: [wireForwarder(values, destinations, { logger, metrics })],
  probe: { host: values.probeHost, port: values.probePort },
  shutdownTimeoutMs: values.shutdownTimeoutMs,
});
