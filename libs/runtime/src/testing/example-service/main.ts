/**
 * A minimal service on the runtime, used by the runtime's tests: one stage that processes
 * slow batches. It shows the wiring every service repeats: config first, then telemetry,
 * then `runService`.
 */
import { setting } from '@ciem/config';
import {
  createLogger,
  createMetrics,
  stageLogger,
  stageMetrics,
  startTracing,
} from '@ciem/telemetry';
import { loadConfigOrExit, runService, serviceSettings } from '../../index.js';
import { createSlowBatchStage } from './slow-batch-stage.js';

const service = 'example';

const schema = {
  ...serviceSettings,
  batchMs: setting.duration({
    env: 'CIEM_EXAMPLE_BATCH_MS',
    description: 'Time one example batch takes.',
    default: 1500,
    min: 1,
  }),
  stopHangs: setting.boolean({
    env: 'CIEM_EXAMPLE_STOP_HANGS_ENABLED',
    description: 'Makes the stage stop never finish, to exercise the shutdown deadline.',
    default: false,
  }),
};

const config = loadConfigOrExit(schema, { service });
const { values } = config;

const logger = createLogger({ service, level: values.logLevel });
const metrics = createMetrics({ service });
const tracing = startTracing({ service, otlpEndpoint: values.otlpEndpoint, logger });

const stage = createSlowBatchStage({
  logger: stageLogger(logger, 'slow-batch'),
  metrics: stageMetrics(metrics, 'slow-batch', { logger }),
  batchMs: values.batchMs,
  batchSize: 10,
  stopHangs: values.stopHangs,
});

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
