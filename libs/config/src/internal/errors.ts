/**
 * Error codes of the config library. Codes are stable and never reused.
 *
 * - `CIEM_CONFIG_INVALID`: one or more settings are missing or invalid; the message has one
 *   line per problem, naming the variable, the expected form and the received value.
 * - `CIEM_CONFIG_SCHEMA_INVALID`: the schema itself breaks a naming rule (a programming error
 *   in the service, found when the schema is first used).
 */
export const CONFIG_ERROR_CODES = {
  invalid: 'CIEM_CONFIG_INVALID',
  schemaInvalid: 'CIEM_CONFIG_SCHEMA_INVALID',
} as const;
