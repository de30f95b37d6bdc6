import { InputError, describeValue } from '@ciem/errors';

/** Error codes of the anomaly library; never reused. */
export const ANOMALY_ERROR_CODES = {
  invalidOption: 'CIEM_ANOMALY_INVALID_OPTION',
  invalidState: 'CIEM_ANOMALY_INVALID_STATE',
} as const;

/** Raises an `InputError` naming the option, the expected form and the received value. */
export function invalidOption(name: string, expected: string, received: unknown): InputError {
  return new InputError(
    ANOMALY_ERROR_CODES.invalidOption,
    `Invalid anomaly option "${name}": expected ${expected}, received ${describeValue(received)}. Pass a valid value or leave the option out to use its default.`,
    { details: { field: name } },
  );
}

/** Raises an `InputError` for a checkpoint that cannot be restored. */
export function invalidState(problem: string, received: unknown): InputError {
  return new InputError(
    ANOMALY_ERROR_CODES.invalidState,
    `Invalid anomaly checkpoint: ${problem}, received ${describeValue(received)}. Delete the checkpoint to rebuild the baselines from new events.`,
    { details: { field: 'checkpoint' } },
  );
}
