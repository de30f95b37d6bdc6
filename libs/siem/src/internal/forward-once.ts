import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import type { Alert } from '@ciem/events';
import { errorCodeOf, errorTypeOf, messageOf } from '@ciem/errors';
import type { Logger } from '@ciem/telemetry';
import { createLogger } from '@ciem/telemetry';
import { createSink } from './create-sink.js';
import type { DestinationsConfig } from './destinations.js';
import { createAlertForwarder } from './forwarder.js';
import type { ForwardSummary } from './forwarder.js';

/** Options of `forwardAlertsOnce`. */
export interface ForwardOnceOptions {
  /**
   * File that dead letters are appended to, one JSON object per line:
   * `{ destination, error_code, error_type, error_message, alert }`.
   */
  deadLetterFile: string;
  /** Logger of retries and dead letters; silent by default. */
  logger?: Logger;
}

/**
 * Delivers `alerts` once to the configured destinations and closes them: the step that
 * `ciem run` takes after its detectors finish, with the same forwarder the service runs.
 * Alerts that a destination rejects or that spend its retry budget go to `deadLetterFile`.
 */
export async function forwardAlertsOnce(
  destinations: DestinationsConfig,
  alerts: readonly Alert[],
  options: ForwardOnceOptions,
): Promise<ForwardSummary> {
  await mkdir(path.dirname(options.deadLetterFile), { recursive: true });
  const deadLetters = await open(options.deadLetterFile, 'a');
  const forwarder = createAlertForwarder({
    destinations: destinations.destinations.map((destination) => ({
      name: destination.name,
      routes: destination.routes,
      sink: createSink(destination, destinations.product),
    })),
    async deadLetter(destination, alert, error) {
      const line = {
        destination,
        error_code: errorCodeOf(error),
        error_type: errorTypeOf(error),
        error_message: messageOf(error),
        alert,
      };
      await deadLetters.appendFile(`${JSON.stringify(line)}\n`, 'utf8');
    },
    logger: options.logger ?? createLogger({ service: 'ciem', level: 'silent' }),
  });
  try {
    return await forwarder.forward(alerts);
  } finally {
    await forwarder.close();
    await deadLetters.sync();
    await deadLetters.close();
  }
}
