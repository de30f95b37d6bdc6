/**
 * The logger this library writes to: the pino call shape, fields first and a fixed message
 * second, so a pino logger or child logger fits as it is.
 */
export interface ClickHouseLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** A logger that drops everything, used when the caller passes none. */
export const silentLogger: ClickHouseLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
