import { ConfigInvalidError, loadConfig } from '@ciem/config';
import type { ConfigSchema, ConfigValues, LoadConfigOptions, LoadedConfig } from '@ciem/config';
import { ConfigError } from '@ciem/errors';
import { createLogger } from '@ciem/telemetry';
import type { Logger } from '@ciem/telemetry';
import type { ExitCode } from './exit-codes.js';
import { EXIT_CONFIG_INVALID } from './exit-codes.js';

/** Options of `loadConfigOrExit`: those of `loadConfig` plus the service and exit hooks. */
export interface LoadConfigOrExitOptions<
  S extends ConfigSchema = ConfigSchema,
> extends LoadConfigOptions {
  /** Service name for the `service` field of the error line. */
  service: string;
  /** Logger for the error line; by default a new one writing to standard output. */
  logger?: Logger;
  /** Ends the process; `process.exit` by default. */
  exit?: (code: ExitCode) => void;
  /**
   * Checks rules that span several settings once they are loaded, such as a TLS certificate
   * that needs its key. A `ConfigError` it throws is reported and exits like a bad setting.
   */
  validate?: (values: ConfigValues<S>) => void;
}

/**
 * Loads the configuration, or logs one `fatal` JSON line listing every problem (the variable,
 * the expected form and the received value, secrets masked) and exits with
 * `EXIT_CONFIG_INVALID` (2). Call it first in `main`, before connecting to anything.
 *
 * @throws the `ConfigError` itself only when an injected `exit` returns instead of ending the
 *   process.
 */
export function loadConfigOrExit<S extends ConfigSchema>(
  schema: S,
  options: LoadConfigOrExitOptions<S>,
): LoadedConfig<S> {
  try {
    const config = loadConfig(schema, options);
    options.validate?.(config.values);
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problems = error instanceof ConfigInvalidError ? error.problems : [error.message];
    const logger = options.logger ?? createLogger({ service: options.service });
    logger.fatal(
      { code: error.code, problems, exit_code: EXIT_CONFIG_INVALID },
      `invalid configuration: ${problems.join('; ')}`,
    );
    (options.exit ?? ((code: ExitCode) => process.exit(code)))(EXIT_CONFIG_INVALID);
    throw error;
  }
}
