import { messageOf } from '@ciem/errors';
import { stageMetricName, stageMetrics } from '@ciem/telemetry';
import type { Logger, MetricsRegistry, StageMetrics } from '@ciem/telemetry';
import { Counter } from 'prom-client';

/** Suffix of the counter of raw record bytes an ingest stage read: `ciem_<stage>_bytes_in_total`. Labels: `provider`, `topic`. */
export const INGEST_BYTES_IN_SUFFIX = 'bytes_in_total';

/** Suffix of the counter of raw record bytes Kafka acknowledged: `ciem_<stage>_bytes_out_total`. Labels: `provider`, `topic`. */
export const INGEST_BYTES_OUT_SUFFIX = 'bytes_out_total';

/** Labels of the ingest byte counters. */
export interface IngestMetricLabels {
  provider: string;
  topic: string;
}

/** The stage metrics of an ingest stage plus its byte counters. Updates never throw. */
export interface IngestMetrics extends StageMetrics {
  countReceivedBytes(bytes: number, labels: IngestMetricLabels): void;
  countSentBytes(bytes: number, labels: IngestMetricLabels): void;
}

function counterOf(registry: MetricsRegistry, name: string, help: string): Counter {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing;
  return new Counter({
    name,
    help,
    labelNames: ['provider', 'topic'],
    registers: [registry],
  });
}

/**
 * Returns the metrics of the ingest stage `stage`, registered in `registry` on first use.
 * Several publishers of one process share the series of one label set.
 */
export function ingestMetrics(
  registry: MetricsRegistry,
  stage: string,
  logger?: Logger,
): IngestMetrics {
  const base = stageMetrics(registry, stage, logger === undefined ? {} : { logger });
  const receivedBytes = counterOf(
    registry,
    stageMetricName(stage, INGEST_BYTES_IN_SUFFIX),
    'Bytes of raw records an ingest stage read.',
  );
  const sentBytes = counterOf(
    registry,
    stageMetricName(stage, INGEST_BYTES_OUT_SUFFIX),
    'Bytes of raw records Kafka acknowledged.',
  );
  const safely = (update: () => void): void => {
    try {
      update();
    } catch (error) {
      logger?.warn({ stage, error: messageOf(error) }, 'metric update failed');
    }
  };
  return {
    ...base,
    stage,
    countReceivedBytes(bytes, labels) {
      safely(() => receivedBytes.inc({ ...labels }, bytes));
    },
    countSentBytes(bytes, labels) {
      safely(() => sentBytes.inc({ ...labels }, bytes));
    },
  };
}
