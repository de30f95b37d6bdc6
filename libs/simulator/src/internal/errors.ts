import { InputError, describeValue } from '@ciem/errors';

/** Error codes of the simulator library; never reused. */
export const SIMULATOR_ERROR_CODES = {
  invalidOption: 'CIEM_SIMULATOR_INVALID_OPTION',
} as const;

/** Raises an `InputError` naming the option, the expected form and the received value. */
export function invalidOption(name: string, expected: string, received: unknown): InputError {
  return new InputError(
    SIMULATOR_ERROR_CODES.invalidOption,
    `Invalid simulator option "${name}": expected ${expected}, received ${describeValue(received)}. Pass a valid value or leave the option out to use its default.`,
    { details: { field: name } },
  );
}
