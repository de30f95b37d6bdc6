import type { AnomalyOptions } from '@ciem/anomaly';
import { createAnomalyEngine, processEvents } from '@ciem/anomaly';
import type { Alert, NormalizedEvent } from '@ciem/events';
import { TOPICS } from '@ciem/events';
import type { InProcessBus } from './bus.js';
import { LineWriter } from './ndjson-writer.js';

/** The anomaly detectors of `ciem run`, subscribed to the normalized topic of the bus. */
export interface AnomalyStep {
  /** Writes the final version of every alert to the file and returns how many there are. */
  finish(): Promise<number>;
}

/**
 * Subscribes the anomaly detectors to `ciem.events.normalized` on the bus with the same
 * `processEvents` call the analyzer-anomaly service makes per Kafka batch. An alert updated
 * by later batches keeps only its latest version, so `alerts.ndjson` has one line per alert.
 *
 * NOTE: the embedded run reads files in the order given, not in event time, so detectors
 * that compare times (dormancy, volume, travel) assume each principal's files are in order.
 */
export function wireAnomalyStep(
  bus: InProcessBus,
  outputFile: string,
  options: AnomalyOptions = {},
): AnomalyStep {
  const engine = createAnomalyEngine(options);
  const alerts = new Map<string, Alert>();
  bus.subscribe<NormalizedEvent>(TOPICS.eventsNormalized, async (batch) => {
    for (const alert of processEvents(
      engine,
      batch.map((message) => message.value),
    )) {
      alerts.set(alert.alert_id, alert);
    }
  });
  return {
    async finish() {
      const writer = new LineWriter(outputFile);
      for (const alert of alerts.values()) await writer.writeLine(JSON.stringify(alert));
      await writer.close();
      return alerts.size;
    },
  };
}
