import { isNormalizationError } from '@ciem/events';
import type { Provider } from '@ciem/events';
import { detectProvider, normalizeText, readRecords } from '@ciem/normalize';

/**
 * What the pipeline must contain once cloud ingest stages delivered some inputs, computed with
 * the normalizer library over the bytes as they entered (an S3 object, an event body, a
 * Pub/Sub message). Counts are per provider of the raw topic the records go to.
 */
export interface IngestExpectation {
  /** Records the normalizer turns into events. */
  normalizable: Record<string, number>;
  /** Distinct `events` sorting keys (account, principal, second, event id): rows of `events FINAL`. */
  rows: Record<string, number>;
  /** Records the normalizer dead-letters, both on the dead-letter topic and in `dlq_events`. */
  deadLettered: Record<string, number>;
  /** Reasons of the normalizer's dead letters, `provider/reason` to count. */
  reasons: Record<string, number>;
  /**
   * Records the ingest stage dead-letters (stage `ingest`): on the dead-letter topic, and in
   * `dlq_events` through the normalizer service's dead-letter sink.
   */
  ingestDeadLettered: Record<string, number>;
}

/** Builder of an {@link IngestExpectation}. */
export interface ExpectationBuilder {
  /** Adds the records of a container (S3 object, event body) that the ingest reads for `provider`. */
  addContainer(provider: Provider, bytes: Buffer, name: string): Promise<void>;
  /** Adds one message whose bytes are one record (a Pub/Sub message of a log sink). */
  addMessage(provider: Provider, bytes: Buffer): void;
  result(): IngestExpectation;
}

function add(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

async function* oneChunk(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Creates the builder. A record goes to the ingest's dead letters when the reader cannot
 * read it or names another cloud. Every other record goes to the raw topic of `provider`,
 * where the normalizer receives its text and calls `normalizeText(provider, text)`.
 */
export function createExpectation(): ExpectationBuilder {
  const outcome: IngestExpectation = {
    normalizable: {},
    rows: {},
    deadLettered: {},
    reasons: {},
    ingestDeadLettered: {},
  };
  const keys = new Map<string, Set<string>>();

  const normalize = (provider: Provider, text: string): void => {
    const result = normalizeText(provider, text, { rawRef: 'expected', ingestTime: 0 });
    if (isNormalizationError(result)) {
      add(outcome.deadLettered, provider);
      add(outcome.reasons, `${provider}/${result.reason}`);
      return;
    }
    add(outcome.normalizable, provider);
    const set = keys.get(provider) ?? new Set<string>();
    set.add(
      JSON.stringify([
        result.account_id,
        result.principal.id,
        Math.floor(result.event_time / 1000),
        result.event_id,
      ]),
    );
    keys.set(provider, set);
  };

  return {
    async addContainer(provider, bytes, name) {
      for await (const item of readRecords(oneChunk(bytes), { name, provider })) {
        if ('kind' in item || (item.provider !== undefined && item.provider !== provider)) {
          add(outcome.ingestDeadLettered, provider);
          continue;
        }
        normalize(provider, item.text);
      }
    },
    addMessage(provider, bytes) {
      const text = bytes.toString('utf8');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        add(outcome.ingestDeadLettered, provider);
        return;
      }
      const detected = isObject(value) ? detectProvider(value) : undefined;
      if (!isObject(value) || (detected !== undefined && detected !== provider)) {
        add(outcome.ingestDeadLettered, provider);
        return;
      }
      normalize(provider, text);
    },
    result() {
      for (const [provider, set] of keys) outcome.rows[provider] = set.size;
      return outcome;
    },
  };
}
