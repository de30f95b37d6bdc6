import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { AnomalyOptions, UnusedPermissionEntry } from '@ciem/anomaly';
import {
  DETECTORS,
  createAnomalyEngine,
  createUnusedPermissionIndex,
  processEvents,
} from '@ciem/anomaly';
import type { Alert, NormalizedEvent } from '@ciem/events';
import { TOPICS } from '@ciem/events';
import type { InProcessBus } from './bus.js';
import { LineWriter } from './ndjson-writer.js';

/** Files of the run that the unused-permission post-pass reads. */
export interface UnusedPermissionPass {
  /** `recommendations.ndjson` of the run's right-sizing: one `RightsizingResult` a line. */
  recommendations: string;
  /** `events.ndjson` of the run. */
  events: string;
}

/** The anomaly detectors of `ciem run`, subscribed to the normalized topic of the bus. */
export interface AnomalyStep {
  /**
   * Writes the final version of every alert to the file and returns how many there are.
   * With `unused`, first runs the unused-permission post-pass over the run's files.
   */
  finish(unused?: UnusedPermissionPass): Promise<number>;
}

const UNUSED_RULE_ID = 'unused-high-risk-permission';

/**
 * Subscribes the anomaly detectors to `ciem.events.normalized` on the bus with the same
 * `processEvents` call the analyzer-anomaly service makes per Kafka batch. An alert updated
 * by later batches keeps only its latest version, so `alerts.ndjson` has one line per alert.
 *
 * The rule `unused-high-risk-permission` needs right-sizing results, which the run has only
 * after every event was read, so it runs as a post-pass in `finish`: a second engine with
 * only that rule reads `events.ndjson` and checks, per principal, the events at or after the
 * end of the principal's right-sizing window. Uses inside the window made the permission
 * used, so only a window that ends before the data (`rightsizing.windowEnd`) can report
 * something; the analyzer-anomaly service instead reads the latest results of earlier runs.
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
    async finish(unused) {
      if (unused !== undefined) {
        for (const alert of await unusedPermissionPass(unused, options)) {
          alerts.set(alert.alert_id, alert);
        }
      }
      const writer = new LineWriter(outputFile);
      for (const alert of alerts.values()) await writer.writeLine(JSON.stringify(alert));
      await writer.close();
      return alerts.size;
    },
  };
}

interface RecommendationLine {
  principal_id: string;
  window: { end: number };
  unused: { permission: string; risk: string }[];
}

async function* lines(file: string): AsyncGenerator<string> {
  for await (const line of createInterface({
    input: createReadStream(file),
    crlfDelay: Infinity,
  })) {
    if (line.length > 0) yield line;
  }
}

async function unusedPermissionPass(
  files: UnusedPermissionPass,
  options: AnomalyOptions,
): Promise<Alert[]> {
  const entries: UnusedPermissionEntry[] = [];
  const windowEnds = new Map<string, number>();
  for await (const line of lines(files.recommendations)) {
    const result = JSON.parse(line) as RecommendationLine;
    if (result.unused.length === 0) continue;
    entries.push({
      principalId: result.principal_id,
      unused: result.unused,
      windowEnd: result.window.end,
    });
    windowEnds.set(result.principal_id, result.window.end);
  }
  const index = createUnusedPermissionIndex();
  if (index.replace(entries) === 0) return [];

  const others = DETECTORS.flatMap((detector) => detector.rules.map((rule) => rule.id)).filter(
    (id) => id !== UNUSED_RULE_ID,
  );
  const engine = createAnomalyEngine({
    ...options,
    isMarkedUnused: index.lookup,
    disabledRules: [...(options.disabledRules ?? []), ...others],
  });
  const alerts = new Map<string, Alert>();
  const batch: NormalizedEvent[] = [];
  const drain = (): void => {
    for (const alert of processEvents(engine, batch)) alerts.set(alert.alert_id, alert);
    batch.length = 0;
  };
  for await (const line of lines(files.events)) {
    const event = JSON.parse(line) as NormalizedEvent;
    const end = windowEnds.get(event.principal.id);
    if (end === undefined || event.event_time < end) continue;
    batch.push(event);
    if (batch.length >= 1000) drain();
  }
  drain();
  return [...alerts.values()];
}
