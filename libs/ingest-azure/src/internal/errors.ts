import { ConfigError, describeValue } from '@ciem/errors';

/** Error codes of the Azure ingest adapter. Each is documented in the library's README. */
export const IngestAzureErrorCodes = Object.freeze({
  /** An option passed to the library is invalid (`ConfigError`). */
  invalidOption: 'CIEM_INGEST_AZURE_INVALID_OPTION',
  /** An event body is neither text, bytes nor a JSON value (`InputError`, dead-lettered). */
  bodyInvalid: 'CIEM_INGEST_AZURE_BODY_INVALID',
  /** A checkpoint passed to the local store lacks its partition, offset or sequence number (`InputError`). */
  checkpointInvalid: 'CIEM_INGEST_AZURE_CHECKPOINT_INVALID',
});

export type IngestAzureErrorCode =
  (typeof IngestAzureErrorCodes)[keyof typeof IngestAzureErrorCodes];

/** Builds the `ConfigError` for an invalid option: its name, the expected form and the value. */
export function invalidOption(name: string, expected: string, received: unknown): ConfigError {
  return new ConfigError(
    IngestAzureErrorCodes.invalidOption,
    `invalid option ${name}: expected ${expected}, received ${describeValue(received)}`,
    { details: { option: name } },
  );
}
