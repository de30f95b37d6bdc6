import { InputError, describeValue } from '@ciem/errors';

/** Error codes of the entitlements store. Each is stable and never reused. */
export const EntitlementsStoreErrorCode = {
  /** An input path names no file or folder. */
  inputNotFound: 'CIEM_ENTITLEMENTS_STORE_INPUT_NOT_FOUND',
  /** An input file could not be read or decompressed. */
  inputUnreadable: 'CIEM_ENTITLEMENTS_STORE_INPUT_UNREADABLE',
} as const;

/** Raised when an input path does not exist. */
export function inputNotFoundError(input: string): InputError {
  return new InputError(
    EntitlementsStoreErrorCode.inputNotFound,
    `export path ${describeValue(input)} was not found: expected a file or a folder of .json, .ndjson or .json.gz exports`,
    { details: { file: input } },
  );
}
