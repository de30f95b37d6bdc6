import { ConfigError, describeValue } from '@ciem/errors';

/** Error codes of the ingest library. Codes are permanent: a retired code is never reused. */
export const IngestErrorCodes = {
  /** An option passed to this library is invalid (ConfigError). */
  invalidOption: 'CIEM_INGEST_INVALID_OPTION',
  /** A backfill input names no file, folder or glob match (ConfigError). */
  inputNotFound: 'CIEM_INGEST_INPUT_NOT_FOUND',
  /** A checkpoint file exists but does not hold a checkpoint written by this library (ConfigError). */
  checkpointCorrupt: 'CIEM_INGEST_CHECKPOINT_CORRUPT',
  /** A record belongs to another provider than the topic it was read for (InputError, dead-lettered). */
  wrongProvider: 'CIEM_INGEST_WRONG_PROVIDER',
  /** A record is larger than a raw topic message may be (RejectedError, dead-lettered without its value). */
  recordTooLarge: 'CIEM_INGEST_RECORD_TOO_LARGE',
} as const;

/** One of {@link IngestErrorCodes}. */
export type IngestErrorCode = (typeof IngestErrorCodes)[keyof typeof IngestErrorCodes];

/** Builds the ConfigError for an invalid option: its name, the expected form and what was received. */
export function invalidOption(name: string, expected: string, received: unknown): ConfigError {
  return new ConfigError(
    IngestErrorCodes.invalidOption,
    `invalid ingest option ${name}: expected ${expected}, received ${describeValue(received)}`,
    { details: { option: name } },
  );
}
