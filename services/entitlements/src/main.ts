/**
 * The entitlements service: reads IAM exports (and the AWS IAM API), evaluates every
 * principal's granted permissions and risks, and writes the snapshots to the compacted
 * entitlements topic and the ClickHouse `entitlements` table. See README.md for its
 * settings.
 */
import { ConfigInvalidError } from '@ciem/config';
import { kafkaSecurityOptions } from '@ciem/kafka';
import { loadConfigOrExit, runService } from '@ciem/runtime';
import type { RunningService } from '@ciem/runtime';
import { createLogger, createMetrics, startTracing } from '@ciem/telemetry';
import { entitlementsSchema } from './config.js';
import { checkSources } from './sources.js';
import { wireEntitlements } from './wiring.js';

const service = 'entitlements';

const config = loadConfigOrExit(entitlementsSchema, {
  service,
  validate: (values) => {
    // Rejects TLS and SASL settings that only work together before anything connects.
    kafkaSecurityOptions(values);
    const problems = checkSources(values);
    if (problems.length > 0) throw new ConfigInvalidError(problems);
  },
});
const { values } = config;

const logger = createLogger({ service, level: values.logLevel });

const metrics = createMetrics({ service });
const tracing = startTracing({ service, otlpEndpoint: values.otlpEndpoint, logger });

// With schedule `once` the first collection stops the service. The collection may end
// before `runService` returns, so the request waits for the handle then.
const handle: { service?: RunningService; collected: boolean } = { collected: false };
const stopAfterOneCollection = (): void => {
  if (values.schedule !== 'once') return;
  handle.collected = true;
  void handle.service?.stop('one collection finished');
};

handle.service = await runService({
  name: service,
  config,
  logger,
  metrics,
  tracing,
  stages: [wireEntitlements(values, { logger, metrics, onCollected: stopAfterOneCollection })],
  probe: { host: values.probeHost, port: values.probePort },
  shutdownTimeoutMs: values.shutdownTimeoutMs,
});
if (handle.collected) void handle.service.stop('one collection finished');
