import { ConfigInvalidError } from '@ciem/config';
import type { ConfigSchema, ConfigValues } from '@ciem/config';
import { kafkaSecurityOptions } from '@ciem/kafka';
import { loadConfigOrExit, runService } from '@ciem/runtime';
import type { serviceSettings } from '@ciem/runtime';
import { createLogger, createMetrics, startTracing } from '@ciem/telemetry';
import type { Logger, MetricsRegistry } from '@ciem/telemetry';
import type { IngestStage } from './ingest-stage.js';
import type { ingestSettings } from './ingest-settings.js';

/** The settings every ingest service's schema includes. */
type IngestServiceSchema = ConfigSchema & typeof serviceSettings & typeof ingestSettings;

/** Definition of one ingest service: its name, settings and stage. */
export interface IngestServiceDefinition<S extends IngestServiceSchema> {
  /** The service name, such as `ingest-gcp`. */
  readonly service: string;
  readonly schema: S;
  /** Lists the settings the configured mode needs but lacks, one sentence each. */
  readonly modeProblems: (values: ConfigValues<S>) => string[];
  readonly wire: (
    values: ConfigValues<S>,
    telemetry: { logger: Logger; metrics: MetricsRegistry },
  ) => IngestStage;
}

/**
 * Runs an ingest service as its `main`: loads the configuration, exits with
 * `EXIT_CONFIG_INVALID` when a setting or the mode's required settings are invalid, starts
 * telemetry and the stage, and stops the service once a backfill finished.
 */
export async function runIngestService<S extends IngestServiceSchema>(
  definition: IngestServiceDefinition<S>,
): Promise<void> {
  const { service } = definition;
  const config = loadConfigOrExit(definition.schema, {
    service,
    validate: (loaded) => {
      // Rejects TLS and SASL settings that only work together before anything connects.
      kafkaSecurityOptions(loaded as ConfigValues<typeof ingestSettings>);
      const problems = definition.modeProblems(loaded);
      if (problems.length > 0) throw new ConfigInvalidError(problems);
    },
  });
  // S includes the service settings, which TypeScript cannot see through ConfigValues<S>.
  const values = config.values as ConfigValues<S> & ConfigValues<typeof serviceSettings>;

  const logger = createLogger({ service, level: values.logLevel });
  const metrics = createMetrics({ service });
  const tracing = startTracing({ service, otlpEndpoint: values.otlpEndpoint, logger });

  const stage = definition.wire(values, { logger, metrics });
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

  if (stage.readsOnce) {
    await stage.backfillFinished;
    await running.stop('backfill finished');
  }
}
