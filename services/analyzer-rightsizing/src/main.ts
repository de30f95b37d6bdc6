/**
 * The analyzer-rightsizing service: compares what every principal is granted
 * (ClickHouse `entitlements`) with what it used (`permission_usage`), writes the
 * recommendations to ClickHouse and the compacted recommendations topic, and delivers
 * reports per account and team. See README.md for its settings.
 */
import { kafkaSecurityOptions } from '@ciem/kafka';
import { EXIT_CONFIG_INVALID, loadConfigOrExit, runService } from '@ciem/runtime';
import type { RunningService } from '@ciem/runtime';
import { parseWindowEnd } from '@ciem/rightsizing';
import { createLogger, createMetrics, startTracing } from '@ciem/telemetry';
import { rightsizingSchema } from './config.js';
import { checkDelivery, loadOwnership } from './ownership.js';
import { wireRightsizing } from './wiring.js';

const service = 'analyzer-rightsizing';

const config = loadConfigOrExit(rightsizingSchema, {
  service,
  // Rejects TLS and SASL settings that only work together before anything connects.
  validate: (values) => void kafkaSecurityOptions(values),
});
const { values } = config;

const logger = createLogger({ service, level: values.logLevel });
const { ownership, problems: ownershipProblems } = loadOwnership(values);
const problems = [...ownershipProblems, ...checkDelivery(values)];
if (values.windowEnd !== undefined && parseWindowEnd(values.windowEnd) === undefined) {
  problems.push(
    `CIEM_RIGHTSIZING_WINDOW_END: expected a UTC day YYYY-MM-DD or a time with its zone such as 2024-06-30T12:00:00Z, received ${JSON.stringify(values.windowEnd)}`,
  );
}
if (problems.length > 0) {
  logger.fatal(
    { code: 'CIEM_CONFIG_INVALID', problems, exit_code: EXIT_CONFIG_INVALID },
    `invalid configuration: ${problems.join('; ')}`,
  );
  process.exit(EXIT_CONFIG_INVALID);
}

const metrics = createMetrics({ service });
const tracing = startTracing({ service, otlpEndpoint: values.otlpEndpoint, logger });

// In mode `once` the first analysis stops the service. It may end before `runService`
// returns, so the stop request then waits for the handle.
const handle: { service?: RunningService; analyzed: boolean } = { analyzed: false };
const stopAfterOneAnalysis = (): void => {
  if (values.mode !== 'once') return;
  handle.analyzed = true;
  void handle.service?.stop('one analysis finished');
};

handle.service = await runService({
  name: service,
  config,
  logger,
  metrics,
  tracing,
  stages: [
    wireRightsizing(values, { logger, metrics, ownership, onAnalyzed: stopAfterOneAnalysis }),
  ],
  probe: { host: values.probeHost, port: values.probePort },
  shutdownTimeoutMs: values.shutdownTimeoutMs,
});
if (handle.analyzed) void handle.service.stop('one analysis finished');
