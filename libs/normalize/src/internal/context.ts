import type { NormalizationError, NormalizedEvent } from '@ciem/events';

/** What a normalizer needs besides the record: where it came from and when it was read. */
export interface NormalizeContext {
  /** Where the original is: `topic/partition/offset` or `file:line`. */
  rawRef: string;
  /** When the platform read the record, epoch milliseconds UTC. */
  ingestTime: number;
}

/** One record in, one event or one typed error out. */
export type NormalizeResult = NormalizedEvent | NormalizationError;
