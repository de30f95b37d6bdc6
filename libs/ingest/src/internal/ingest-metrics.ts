import { messageOf } from '@ciem/errors';
import { stageMetrics } from '@ciem/telemetry';
import type { Logger, MetricsRegistry, StageMetrics } from '@ciem/telemetry';
import { Counter } from 'prom-client';

/** Counter of raw record bytes an ingest stage read. Labels: `stage`, `provider`, `topic`. */
export const METRIC_INGEST_RECEIVED_BYTES = 'ciem_ingest_received_bytes_total';

/** Counter of raw record bytes Kafka acknowledged. Labels: `stage`, `provider`, `topic`. */
export const METRIC_INGEST_SENT_BYTES = 'ciem_ingest_sent_bytes_total';

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
    labelNames: ['stage', 'provider', 'topic'],
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
    METRIC_INGEST_RECEIVED_BYTES,
    'Bytes of raw records an ingest stage read.',
  );
  const sentBytes = counterOf(
    registry,
    METRIC_INGEST_SENT_BYTES,
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
      safely(() => receivedBytes.inc({ ...labels, stage }, bytes));
    },
    countSentBytes(bytes, labels) {
      safely(() => sentBytes.inc({ ...labels, stage }, bytes));
    },
  };
}
