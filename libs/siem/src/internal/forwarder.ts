import type { Alert } from '@ciem/events';
import { errorCodeOf, errorTypeOf } from '@ciem/errors';
import type { Logger } from '@ciem/telemetry';
import { createRateLimitedLog } from '@ciem/telemetry';
import { idempotencyKeyOf } from './idempotency.js';
import type { ForwarderMetrics } from './metrics.js';
import { isRouted } from './routing.js';
import type { RouteRule } from './routing.js';
import type { AlertSink, DeliveryOutcome } from './sink.js';

/** A destination as the forwarder uses it: its routing rules and its sink. */
export interface Destination {
  readonly name: string;
  readonly routes: readonly RouteRule[];
  readonly sink: AlertSink;
}

/** Options of `createAlertForwarder`. */
export interface AlertForwarderOptions {
  destinations: readonly Destination[];
  /**
   * Dead-letters one alert that `destination` rejected or that used up its retry budget.
   * Resolves once durable; a thrown error fails the whole `forward` call.
   */
  deadLetter(destination: string, alert: Alert, error: unknown): Promise<void>;
  logger: Logger;
  metrics?: ForwarderMetrics;
}

/** Counts of one `forward` call. Each alert counts once per destination it was routed to. */
export interface ForwardSummary {
  delivered: number;
  deadLettered: number;
  /** Alerts that no destination's rules matched; they are done and committed. */
  unrouted: number;
}

/** Stop checks and heartbeats of one `forward` call, passed to every retry wait. */
export interface ForwardControl {
  isStopping?(): boolean;
  onWait?(): Promise<void>;
}

/** Routes alerts to their destinations and delivers or dead-letters each. */
export interface AlertForwarder {
  /**
   * Delivers `alerts` to every destination whose rules match them, all destinations at once.
   * Resolves when every routed alert was delivered or dead-lettered at every destination, so
   * the caller may then commit them. Throws `CIEM_SIEM_DELIVERY_INTERRUPTED` when stopping
   * cut retries short, or what `deadLetter` threw; the caller then hands the alerts back.
   */
  forward(alerts: readonly Alert[], control?: ForwardControl): Promise<ForwardSummary>;
  /** Closes every sink. */
  close(): Promise<void>;
}

/** Creates the forwarder, the code that the service and `ciem run` share. */
export function createAlertForwarder(options: AlertForwarderOptions): AlertForwarder {
  const { logger, metrics } = options;
  const retryLog = createRateLimitedLog(logger, 10_000);

  const deliverTo = async (
    destination: Destination,
    alerts: readonly Alert[],
    control: ForwardControl,
  ): Promise<{ delivered: number; deadLettered: number }> => {
    const outcomes: DeliveryOutcome[] = await destination.sink.deliver(alerts, {
      ...control,
      onRetry(error, attempt, delayMs) {
        metrics?.countRetried(destination.name);
        retryLog.log(
          {
            destination: destination.name,
            attempt,
            delay_ms: delayMs,
            error_code: errorCodeOf(error),
            err: error,
          },
          'delivery to a destination failed; retrying',
        );
      },
      onRequest(seconds, ok, error) {
        metrics?.observeLatency(destination.name, seconds);
        if (!ok) metrics?.countFailed(destination.name, error);
      },
    });
    let delivered = 0;
    let deadLettered = 0;
    for (const outcome of outcomes) {
      if (outcome.delivered) {
        delivered += 1;
        continue;
      }
      await options.deadLetter(destination.name, outcome.alert, outcome.error);
      deadLettered += 1;
      metrics?.countDeadLettered(destination.name, outcome.error);
      logger.warn(
        {
          destination: destination.name,
          alert_id: outcome.alert.alert_id,
          idempotency_key: idempotencyKeyOf(outcome.alert),
          error_code: errorCodeOf(outcome.error),
          error_type: errorTypeOf(outcome.error),
          err: outcome.error,
        },
        'alert dead-lettered for a destination',
      );
    }
    if (delivered > 0) metrics?.countSent(destination.name, delivered);
    return { delivered, deadLettered };
  };

  return {
    async forward(alerts, control = {}) {
      const routed = new Set<Alert>();
      const work = options.destinations.map((destination) => {
        const selected = alerts.filter((alert) => isRouted(destination.routes, alert));
        for (const alert of selected) routed.add(alert);
        return selected.length === 0
          ? Promise.resolve({ delivered: 0, deadLettered: 0 })
          : deliverTo(destination, selected, control);
      });
      const results = await Promise.allSettled(work);
      const summary: ForwardSummary = {
        delivered: 0,
        deadLettered: 0,
        unrouted: alerts.length - routed.size,
      };
      for (const result of results) {
        if (result.status === 'rejected') throw result.reason;
        summary.delivered += result.value.delivered;
        summary.deadLettered += result.value.deadLettered;
      }
      return summary;
    },
    async close() {
      const results = await Promise.allSettled(options.destinations.map((d) => d.sink.close()));
      for (const [index, result] of results.entries()) {
        if (result.status === 'rejected') {
          logger.error(
            { destination: options.destinations[index]?.name, err: result.reason },
            'closing a destination failed',
          );
        }
      }
    },
  };
}
