import { errorCodeOf, isRetriable } from '@ciem/errors';
import type { Logger } from '@ciem/telemetry';

/** Maximum pause between two attempts of a start step, in milliseconds. */
const MAX_DELAY_MS = 10_000;

/**
 * Runs a start step until it succeeds, waiting with a doubling delay (0.5 s up to 10 s)
 * after each retriable failure (`DependencyError`: Kafka or ClickHouse unreachable), so that
 * the service starts before its dependencies and comes up once they respond. A non-retriable
 * error is thrown at once. The runtime's shutdown deadline ends the wait on SIGTERM.
 */
export async function retryWhileUnavailable<T>(
  step: string,
  logger: Logger,
  run: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (!isRetriable(error)) throw error;
      const delayMs = Math.min(MAX_DELAY_MS, 500 * 2 ** Math.min(attempt - 1, 10));
      logger.warn(
        { step, attempt, delay_ms: delayMs, error_code: errorCodeOf(error), err: error },
        'start step failed; retrying',
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
