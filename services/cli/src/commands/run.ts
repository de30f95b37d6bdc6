import type { RunProgress, RunSummary } from '@ciem/pipeline';
import { formatRightsizingTop, resolveInputs, runDistributed, runEmbedded } from '@ciem/pipeline';
import { ConfigError, DependencyError, InputError } from '@ciem/errors';
import { parseWindowEnd } from '@ciem/rightsizing';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { classifyFiles } from '@ciem/entitlements-store';
import { listForMessage } from '../list-for-message.js';
import { ProgressLine, formatBytes, formatCount } from '../progress.js';
import { formatRunForwarding, forwardRunAlerts, readForwardDestinations } from './run-forward.js';
import { readServerSettings } from './server-settings.js';

/** Registers `ciem run`: every stage in one process over local files. */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description(
      'Run the whole pipeline in one process: read log files, normalize them, keep permission usage and write the results to a folder.',
    )
    .argument(
      '<inputs...>',
      'log files, folders (read recursively) or glob patterns; .json, .json.gz, .ndjson, .jsonl. IAM exports among them are used as --grants when --grants is not given',
    )
    .option('-o, --out <dir>', 'output folder', 'ciem-out')
    .option('--batch-size <records>', 'records per in-process batch', parsePositiveInteger, 1000)
    .option('--json', 'print the summary as JSON instead of a table')
    .option(
      '--kafka <brokers>',
      'run the stages against Kafka at these comma-separated host:port bootstrap servers (needs --clickhouse); TLS, SASL and the ClickHouse login come from the CIEM_KAFKA_SSL_*, CIEM_KAFKA_SASL_* and CIEM_CLICKHOUSE_USER/PASSWORD variables of the services',
    )
    .option('--clickhouse <url>', 'ClickHouse HTTP endpoint of the event store (needs --kafka)')
    .option('--database <name>', 'ClickHouse database, created when missing', 'ciem')
    .option('--topic-prefix <prefix>', 'put in front of every Kafka topic name', '')
    .option('--group <id>', 'consumer group of the normalizer stage', 'ciem-run')
    .option(
      '--grants <paths...>',
      'IAM export files or folders (AWS authorization details, Azure role assignments and definitions, GCP IAM policies and roles); right-sizes every principal after the logs are read (embedded mode only). It takes every path up to the next option, so put it after the log inputs',
    )
    .option(
      '--window-days <days>',
      'right-sizing window in days, ending at the last event read',
      parsePositiveInteger,
      90,
    )
    .option(
      '--window-end <date>',
      'end the right-sizing window at this UTC day (YYYY-MM-DD, the day included) or time with its zone instead of at the last event read; uses after it are then checked against the permissions found unused',
      parseWindowEndOption,
    )
    .option(
      '--forward <destinations>',
      'deliver the alerts to the SIEM destinations of this file after the run (embedded mode only): the alert-forwarder format of deploy/forwarder/destinations.json (HEC, syslog, webhook, file); failed deliveries go to forward-dlq.ndjson',
    )
    .addHelpText(
      'after',
      '\nOutputs: events.ndjson (normalized events), dlq.ndjson (rejected records with reasons),\nusage.csv (per principal and permission), principals.csv, alerts.ndjson (anomaly alerts) and summary.json;\nwith --grants also recommendations.ndjson, recommendations.json and reports/.\n\nFiles among the inputs are sorted by content: activity logs are read; IAM exports (AWS authorization\ndetails, Azure role assignments and definitions, GCP IAM policies and roles) are used as --grants\nunless --grants is given (then they are skipped); the ground truth and team map of ciem simulate are\nskipped. Each skip is reported on stderr. So `ciem run ESTATE_FOLDER` reads a whole simulated estate.',
    )
    .configureOutput({
      // --grants is variadic, so inputs named after it are taken as grants.
      outputError: (text, write) =>
        write(
          text.includes("missing required argument 'inputs'")
            ? `${text}--grants takes every path up to the next option: name the log inputs before --grants.\n`
            : text,
        ),
    })
    .action(async (inputs: string[], options: RunOptions) => {
      if ((options.kafka === undefined) !== (options.clickhouse === undefined)) {
        throw new ConfigError(
          'CIEM_RUN_INVALID_OPTIONS',
          '--kafka and --clickhouse go together: give both to run against the servers, or neither for the embedded mode',
        );
      }
      if (options.grants !== undefined && options.kafka !== undefined) {
        throw new ConfigError(
          'CIEM_RUN_INVALID_OPTIONS',
          '--grants runs in the embedded mode only: leave out --kafka and --clickhouse, or run the analyzer-rightsizing service against the servers',
        );
      }
      if (options.forward !== undefined && options.kafka !== undefined) {
        throw new ConfigError(
          'CIEM_RUN_INVALID_OPTIONS',
          '--forward runs in the embedded mode only: leave out --kafka and --clickhouse, or run the alert-forwarder service against the servers',
        );
      }
      const destinations =
        options.forward === undefined ? undefined : await readForwardDestinations(options.forward);
      // Read before any log, so a bad TLS, SASL or login setting fails at once.
      const serverSettings = options.kafka === undefined ? undefined : readServerSettings();
      const plan = await planInputs(inputs, options);
      const progress = new ProgressLine();
      const onProgress = (state: RunProgress): void => progress.update(describeProgress(state));
      const summary =
        options.kafka !== undefined && options.clickhouse !== undefined
          ? await runDistributed({
              inputs: plan.logs,
              brokers: options.kafka.split(',').map((broker) => broker.trim()),
              clickhouseUrl: options.clickhouse,
              database: options.database,
              topicPrefix: options.topicPrefix,
              groupId: options.group,
              batchSize: options.batchSize,
              onProgress,
              ...serverSettings,
            })
          : await runEmbedded({
              inputs: plan.logs,
              outputDir: path.resolve(options.out),
              batchSize: options.batchSize,
              onProgress,
              ...(plan.grants.length === 0
                ? {}
                : {
                    grants: plan.grants,
                    rightsizing: {
                      windowDays: options.windowDays,
                      ...(options.windowEnd === undefined ? {} : { windowEnd: options.windowEnd }),
                    },
                  }),
            });
      progress.done();
      const alertsFile = summary.outputs.alerts;
      const forwarding =
        destinations === undefined || alertsFile === undefined
          ? undefined
          : await forwardRunAlerts(destinations, alertsFile);
      process.stdout.write(
        options.json
          ? `${JSON.stringify(forwarding === undefined ? summary : { ...summary, forwarding }, null, 2)}\n`
          : formatRunSummary(summary),
      );
      if (!options.json && forwarding !== undefined) {
        process.stdout.write(formatRunForwarding(forwarding));
      }
      if (!options.json && summary.rightsizing !== undefined) {
        process.stdout.write(`\n${formatRightsizingTop(summary.rightsizing)}`);
      }
      // The outputs are complete, but a SOC relying on --forward must learn that some alerts
      // did not arrive, so the command fails after printing the summary.
      if (forwarding !== undefined && forwarding.deadLettered > 0) {
        throw new DependencyError(
          'CIEM_RUN_FORWARD_INCOMPLETE',
          `${forwarding.deadLettered} alert deliveries failed and are in ${forwarding.dead_letters}; check the URLs, credentials and logs of those destinations, then run again with --forward`,
          { details: { dead_letters: forwarding.dead_letters } },
        );
      }
    });
}

/**
 * Sorts the files the inputs name by content: logs are read, IAM exports become the grants
 * when `--grants` is not given (and are skipped otherwise), and the simulator's ground truth
 * and team map are skipped. Says on stderr what was used or skipped and why. Files of no
 * known kind are read as logs, so their records are dead-lettered with a reason.
 *
 * @throws InputError `CIEM_RUN_INPUT_NOT_FOUND` when an input matches no file, and
 *   `CIEM_RUN_NO_LOGS` when the inputs hold exports but no log.
 */
async function planInputs(
  inputs: readonly string[],
  options: RunOptions,
): Promise<{ logs: string[]; grants: readonly string[] }> {
  // A missing grants path would otherwise fail only after every log was read.
  for (const grant of options.grants ?? []) {
    if ((await stat(grant).catch(() => undefined)) === undefined) {
      throw new InputError(
        'CIEM_RUN_GRANTS_NOT_FOUND',
        `--grants path ${JSON.stringify(grant)} was not found; expected an IAM export file or a folder of them (.json, .ndjson, .jsonl or .gz). Nothing was read`,
        { details: { grant } },
      );
    }
  }
  const files = await classifyFiles(await resolveInputs(inputs));
  const logs = [...files.log, ...files.unknown].sort();
  const note = (text: string): void => {
    process.stderr.write(`ciem: ${text}\n`);
  };
  if (files.simulator.length > 0) {
    note(
      `Skipped ${files.simulator.length} file(s) of ciem simulate that are not logs (ground truth, team map): ${listForMessage(files.simulator)}.`,
    );
  }
  let grants: readonly string[] = options.grants ?? [];
  if (files.grants.length > 0) {
    const found = `${files.grants.length} IAM export file(s) among the inputs`;
    if (options.kafka !== undefined) {
      note(
        `Skipped ${found}: ${listForMessage(files.grants)}. Right-sizing with --grants runs in the embedded mode only (leave out --kafka and --clickhouse).`,
      );
    } else if (options.grants !== undefined) {
      note(
        `Skipped ${found}, because --grants names the exports to use: ${listForMessage(files.grants)}.`,
      );
    } else {
      grants = files.grants;
      note(
        `Using ${found} as --grants to right-size every principal: ${listForMessage(files.grants)}. Give --grants to choose the exports yourself.`,
      );
    }
  }
  if (logs.length === 0) {
    throw new InputError(
      'CIEM_RUN_NO_LOGS',
      `the inputs ${JSON.stringify(inputs)} hold no activity log, only ${files.grants.length} IAM export and ${files.simulator.length} simulator file(s); name the CloudTrail, Azure Activity Log or Cloud Audit Log files or folders too (ciem entitlements evaluates exports alone)`,
      { details: { inputs: inputs.join(' ') } },
    );
  }
  return { logs, grants };
}

/** Options of `ciem run` as commander parses them. */
interface RunOptions {
  out: string;
  batchSize: number;
  json?: boolean;
  kafka?: string;
  clickhouse?: string;
  database: string;
  topicPrefix: string;
  group: string;
  grants?: string[];
  windowDays: number;
  windowEnd?: number;
  forward?: string;
}

function describeProgress(state: RunProgress): string {
  const seconds = Math.max(state.elapsed_ms / 1000, 0.001);
  return `reading file ${Math.min(state.files_done + 1, state.files_total)}/${state.files_total} · ${formatBytes(state.bytes_read)} · ${formatCount(state.records_read)} records · ${formatCount(Math.round(state.records_read / seconds))} records/s`;
}

/** Renders the summary a person reads at a glance. */
export function formatRunSummary(summary: RunSummary): string {
  const lines: string[] = [];
  lines.push(
    `Read ${formatCount(summary.files)} files (${formatBytes(summary.bytes_read)}) in ${(summary.duration_ms / 1000).toFixed(1)} s.`,
    '',
  );
  const header = ['provider', 'read', 'normalized', 'dead-lettered', 'unmapped calls'];
  const rows = Object.entries(summary.providers).map(([provider, counts]) => [
    provider,
    formatCount(counts.read),
    formatCount(counts.normalized),
    formatCount(counts.dead_lettered),
    formatCount(counts.unmapped),
  ]);
  const total = Object.values(summary.providers).reduce(
    (sum, counts) => ({
      read: sum.read + counts.read,
      normalized: sum.normalized + counts.normalized,
      dead_lettered: sum.dead_lettered + counts.dead_lettered,
      unmapped: sum.unmapped + counts.unmapped,
    }),
    { read: 0, normalized: 0, dead_lettered: 0, unmapped: 0 },
  );
  rows.push([
    'total',
    formatCount(total.read),
    formatCount(total.normalized),
    formatCount(total.dead_lettered),
    formatCount(total.unmapped),
  ]);
  lines.push(...formatTable(header, rows), '');
  // The event store keeps one row per event id, so in the Kafka and ClickHouse mode records
  // that repeat an event id count once as normalized.
  const collapsed = total.read - total.normalized - total.dead_lettered;
  if (collapsed > 0) {
    lines.push(
      `${formatCount(collapsed)} records repeated an event id already stored and count once as normalized.`,
    );
  }
  lines.push(
    `Principals seen: ${formatCount(summary.principals)}. Distinct permissions used: ${formatCount(summary.permissions_used)}.`,
  );
  if (summary.alerts !== undefined) {
    lines.push(`Anomaly alerts: ${formatCount(summary.alerts)} (alerts.ndjson).`);
  }
  const reasons = Object.entries(summary.dead_letter_reasons);
  if (reasons.length > 0) {
    lines.push(
      `Dead-lettered by reason: ${reasons.map(([reason, count]) => `${reason} ${formatCount(count)}`).join(', ')} (each with its record in ${path.basename(summary.outputs.dead_letters ?? 'dlq.ndjson')}).`,
    );
  }
  if (summary.top_unmapped.length > 0) {
    const top = summary.top_unmapped
      .slice(0, 5)
      .map((entry) => `${entry.call} (${formatCount(entry.count)})`);
    lines.push(`Most frequent unmapped calls: ${top.join(', ')}.`);
  }
  lines.push('', 'Outputs:');
  const nameWidth = Math.max(...Object.keys(summary.outputs).map((name) => name.length));
  for (const [name, file] of Object.entries(summary.outputs)) {
    lines.push(`  ${name.padEnd(nameWidth)}  ${file}`);
  }
  return `${lines.join('\n')}\n`;
}

function formatTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const render = (cells: string[]): string =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  return [render(header), render(widths.map((width) => '-'.repeat(width))), ...rows.map(render)];
}

/** Parses a whole number ≥ 1 for a command-line option; commander reports the message. */
export function parsePositiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError(
      `expected a whole number of 1 or more, received ${JSON.stringify(value)}`,
    );
  }
  return parsed;
}

function parseWindowEndOption(value: string): number {
  const end = parseWindowEnd(value);
  if (end === undefined) {
    throw new InvalidArgumentError(
      `expected a UTC day YYYY-MM-DD or a time with its zone such as 2024-06-30T12:00:00Z, received ${JSON.stringify(value)}`,
    );
  }
  return end;
}
