import { errorTypeOf } from '@ciem/errors';
import type { MetricsRegistry } from '@ciem/telemetry';
import { Counter, Histogram } from 'prom-client';

// The names follow `ciem_<stage>_<what>_<unit>` with the stage `alert-forwarder`.
/** Alerts delivered, per destination. */
export const METRIC_FORWARDER_SENT = 'ciem_alert_forwarder_alerts_sent_total';
/** Delivery requests that failed, per destination and error `class`. */
export const METRIC_FORWARDER_FAILED = 'ciem_alert_forwarder_requests_failed_total';
/** Delivery requests retried after a failure, per destination. */
export const METRIC_FORWARDER_RETRIED = 'ciem_alert_forwarder_requests_retried_total';
/** Alerts dead-lettered for a destination, per destination and error `class`. */
export const METRIC_FORWARDER_DEAD_LETTERED = 'ciem_alert_forwarder_alerts_dead_lettered_total';
/** Duration of one delivery request in seconds, per destination. */
export const METRIC_FORWARDER_LATENCY = 'ciem_alert_forwarder_request_duration_seconds';

/** Per-destination counters of the forwarder. Updates never throw. */
export interface ForwarderMetrics {
  countSent(destination: string, count: number): void;
  countFailed(destination: string, error: unknown): void;
  countRetried(destination: string): void;
  countDeadLettered(destination: string, error: unknown): void;
  observeLatency(destination: string, seconds: number): void;
}

function metricOf<T>(registry: MetricsRegistry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/**
 * Registers the forwarder's metrics in `registry`. The `destination` label is outside the
 * platform's usual label set, because each destination fails on its own. Its values come
 * from the destinations file, a short list an operator writes, so it adds few series.
 */
export function createForwarderMetrics(registry: MetricsRegistry): ForwarderMetrics {
  const counter = (name: string, help: string, labelNames: string[]) =>
    metricOf(registry, name, () => new Counter({ name, help, labelNames, registers: [registry] }));
  const sent = counter(METRIC_FORWARDER_SENT, 'Alerts a destination accepted.', ['destination']);
  const failed = counter(METRIC_FORWARDER_FAILED, 'Delivery requests that failed.', [
    'destination',
    'class',
  ]);
  const retried = counter(
    METRIC_FORWARDER_RETRIED,
    'Delivery requests sent again after a failure.',
    ['destination'],
  );
  const deadLettered = counter(
    METRIC_FORWARDER_DEAD_LETTERED,
    'Alerts dead-lettered because a destination rejected them or stayed unavailable.',
    ['destination', 'class'],
  );
  const latency = metricOf(
    registry,
    METRIC_FORWARDER_LATENCY,
    () =>
      new Histogram({
        name: METRIC_FORWARDER_LATENCY,
        help: 'Duration of one delivery request to a destination, in seconds.',
        labelNames: ['destination'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers: [registry],
      }),
  );

  const safely = (update: () => void): void => {
    try {
      update();
    } catch {
      // Telemetry failures never reach a delivery; prom-client throws only on label misuse.
    }
  };
  return {
    countSent: (destination, count) => safely(() => sent.inc({ destination }, count)),
    countFailed: (destination, error) =>
      safely(() => failed.inc({ destination, class: errorTypeOf(error) })),
    countRetried: (destination) => safely(() => retried.inc({ destination })),
    countDeadLettered: (destination, error) =>
      safely(() => deadLettered.inc({ destination, class: errorTypeOf(error) })),
    observeLatency: (destination, seconds) =>
      safely(() => latency.observe({ destination }, seconds)),
  };
}
