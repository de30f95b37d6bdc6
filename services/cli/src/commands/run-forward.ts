import { createReadStream, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { InputError } from '@ciem/errors';
import type { Alert } from '@ciem/events';
import { forwardAlertsOnce, parseDestinations } from '@ciem/siem';
import type { DestinationsConfig, ForwardSummary } from '@ciem/siem';

/** Result of forwarding the alerts of one run. */
export interface RunForwarding extends ForwardSummary {
  alerts: number;
  /** Dead letters: `{ destination, error_code, error_type, error_message, alert }` per line. */
  dead_letters: string;
}

/**
 * Reads a destinations file in the alert-forwarder's format (deploy/forwarder/
 * destinations.json: HEC, syslog, webhook or file destinations with routes and retry
 * policies). Secrets come from the environment or files the destinations name. Reading it
 * before the run makes a bad file fail at once, not after the logs were read.
 *
 * @throws InputError `CIEM_RUN_FORWARD_FILE_UNREADABLE` when the file cannot be read, and
 *   the siem errors of an invalid destination or unavailable secret.
 */
export async function readForwardDestinations(file: string): Promise<DestinationsConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new InputError(
      'CIEM_RUN_FORWARD_FILE_UNREADABLE',
      `--forward ${JSON.stringify(file)} cannot be read (${(cause as Error).message}); give the path of a destinations file such as deploy/forwarder/destinations.json`,
      { cause, details: { file } },
    );
  }
  return parseDestinations(text, {
    env: process.env,
    readFile: (secretFile) => readFileSync(secretFile, 'utf8'),
  });
}

/**
 * Delivers every alert of `alerts.ndjson` once to the destinations with `forwardAlertsOnce`,
 * the forwarder code the alert-forwarder service runs. Alerts a destination rejects or that
 * spend its retry budget go to `forward-dlq.ndjson` in the output folder.
 */
export async function forwardRunAlerts(
  destinations: DestinationsConfig,
  alertsFile: string,
): Promise<RunForwarding> {
  const alerts: Alert[] = [];
  const lines = createInterface({ input: createReadStream(alertsFile), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.length > 0) alerts.push(JSON.parse(line) as Alert);
  }
  const deadLetters = path.join(path.dirname(alertsFile), 'forward-dlq.ndjson');
  const summary = await forwardAlertsOnce(destinations, alerts, { deadLetterFile: deadLetters });
  return { alerts: alerts.length, ...summary, dead_letters: deadLetters };
}

/** Renders the forwarding line of the run summary. */
export function formatRunForwarding(forwarding: RunForwarding): string {
  const tail = forwarding.deadLettered > 0 ? ` (${forwarding.dead_letters})` : '';
  return `Forwarded ${forwarding.alerts} alerts: ${forwarding.delivered} deliveries, ${forwarding.deadLettered} dead-lettered${tail}, ${forwarding.unrouted} matched no route.\n`;
}
