import type { Alert, NormalizedEvent } from '@ciem/events';
import type { AnomalyEngine } from './engine.js';

/**
 * Runs a batch of events through the engine and returns the alerts the batch opened or
 * updated, each once in its latest version. The analyzer service calls it per Kafka batch and
 * `ciem run` per bus delivery, so both modes produce the same alerts.
 */
export function processEvents(engine: AnomalyEngine, events: Iterable<NormalizedEvent>): Alert[] {
  for (const event of events) engine.observe(event);
  return engine.drain();
}
