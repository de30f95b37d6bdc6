import { isNormalizationError } from '@ciem/events';
import type { Provider } from '@ciem/events';
import { normalizeText, readRecords } from '@ciem/normalize';

/** What the pipeline must store for a set of files, computed with the normalizer library. */
export interface ExpectedOutcome {
  /** Records read, per provider (`unknown` for records with no provider). */
  read: Record<string, number>;
  /** Records that normalize, per provider. */
  normalizable: Record<string, number>;
  /**
   * Distinct `events` sorting keys per provider (account, principal, second, event id):
   * the rows `events FINAL` keeps when records repeat an event.
   */
  rows: Record<string, number>;
  /** Records dead-lettered, per provider as the dead letter names it. */
  deadLettered: Record<string, number>;
}

function add(counts: Record<string, number>, key: string, amount = 1): void {
  counts[key] = (counts[key] ?? 0) + amount;
}

/**
 * Runs the normalizer library over the files as the pipeline does. Each record the reader
 * frames with a known provider goes through `normalizeText`, as the normalizer service
 * receives it from its raw topic, and the ingest dead-letters the others.
 */
export async function expectedOutcome(files: readonly string[]): Promise<ExpectedOutcome> {
  const outcome: ExpectedOutcome = { read: {}, normalizable: {}, rows: {}, deadLettered: {} };
  const keys = new Map<string, Set<string>>();
  for (const file of files) {
    for await (const item of readRecords(file, { name: file })) {
      let provider: Provider | undefined = item.provider === 'unknown' ? undefined : item.provider;
      if (!('kind' in item)) provider = item.provider;
      const text = item.text;
      add(outcome.read, provider ?? ('kind' in item ? item.provider : 'unknown'));
      if (provider === undefined || text === null) {
        add(outcome.deadLettered, 'kind' in item ? item.provider : 'unknown');
        continue;
      }
      const result = normalizeText(provider, text, { rawRef: 'expected', ingestTime: 0 });
      if (isNormalizationError(result)) {
        add(outcome.deadLettered, result.provider);
        continue;
      }
      add(outcome.normalizable, result.provider);
      const set = keys.get(result.provider) ?? new Set<string>();
      set.add(
        JSON.stringify([
          result.account_id,
          result.principal.id,
          Math.floor(result.event_time / 1000),
          result.event_id,
        ]),
      );
      keys.set(result.provider, set);
    }
  }
  for (const [provider, set] of keys) outcome.rows[provider] = set.size;
  return outcome;
}

/** Adds up the values of a count map. */
export function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, value) => sum + value, 0);
}
