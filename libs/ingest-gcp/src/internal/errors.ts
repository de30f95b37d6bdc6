import { ConfigError, describeValue } from '@ciem/errors';

/** Error codes of the GCP ingest adapter. Each is documented in the library's README. */
export const IngestGcpErrorCodes = Object.freeze({
  /** An option passed to the library is invalid (`ConfigError`). */
  invalidOption: 'CIEM_INGEST_GCP_INVALID_OPTION',
  /** A Pub/Sub message's data is not a JSON object (`InputError`, dead-lettered). */
  messageInvalid: 'CIEM_INGEST_GCP_MESSAGE_INVALID',
});

export type IngestGcpErrorCode = (typeof IngestGcpErrorCodes)[keyof typeof IngestGcpErrorCodes];

/** Builds the `ConfigError` for an invalid option: its name, the expected form and the value. */
export function invalidOption(name: string, expected: string, received: unknown): ConfigError {
  return new ConfigError(
    IngestGcpErrorCodes.invalidOption,
    `invalid option ${name}: expected ${expected}, received ${describeValue(received)}`,
    { details: { option: name } },
  );
}
