import type { Alert, NormalizedEvent } from '@ciem/events';
import { createAnomalyEngine } from '../engine.js';
import type { AnomalyOptions } from '../options.js';

/** Feeds events in order and returns the final version of every alert, keyed by alert id. */
export function runScenario(
  events: readonly NormalizedEvent[],
  options: AnomalyOptions = {},
): Alert[] {
  const engine = createAnomalyEngine(options);
  const alerts = new Map<string, Alert>();
  for (const event of events) {
    engine.observe(event);
    for (const alert of engine.drain()) alerts.set(alert.alert_id, alert);
  }
  return [...alerts.values()];
}

/** Returns the rule ids of alerts, sorted, for compact assertions. */
export function ruleIds(alerts: readonly Alert[]): string[] {
  return alerts.map((alert) => alert.rule_id).sort();
}
