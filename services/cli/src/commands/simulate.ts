import { createDirectorySink, simulateEstate } from '@ciem/simulator';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import path from 'node:path';
import { formatBytes, formatCount } from '../progress.js';
import { listForMessage } from '../list-for-message.js';
import { parsePositiveInteger } from './run.js';

const PROVIDERS = ['aws', 'azure', 'gcp'] as const;

/** Registers `ciem simulate`: a deterministic multi-cloud estate with planted ground truth. */
export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description(
      'Generate a realistic multi-cloud estate: grants in the providers’ export formats, activity logs in their native formats, and a ground-truth file of what was planted. The same options always give byte-identical files.',
    )
    .option('-o, --out <dir>', 'output folder', 'ciem-estate')
    .option('--seed <seed>', 'seed of every random choice', '1')
    .option('--principals <count>', 'principals across all providers', parsePositiveInteger, 60)
    .option('--days <count>', 'days of activity', parsePositiveInteger, 14)
    .option(
      '--events-per-day <count>',
      'mean calls per active principal and day',
      parseNonNegative,
      40,
    )
    .addOption(
      new Option('--start <date>', 'first simulated day, YYYY-MM-DD (UTC)')
        .argParser(parseDay)
        .default(parseDay('2024-01-01'), '2024-01-01'),
    )
    .addOption(
      new Option('--providers <list>', 'comma-separated subset of aws,azure,gcp')
        .argParser(parseProviders)
        .default([...PROVIDERS], 'aws,azure,gcp'),
    )
    .option('--no-gzip', 'write CloudTrail delivery files as plain .json instead of .json.gz')
    .addHelpText(
      'after',
      '\nLayout: aws/<account>/iam/authorization-details.json, aws/cloudtrail/AWSLogs/...,\nazure/role-assignments.json, azure/role-definitions.json, azure/activity/...,\ngcp/iam-policies.ndjson, gcp/resources.ndjson, gcp/roles.json, gcp/audit/..., estate/teams.json, ground-truth.json.',
    )
    .action(
      async (options: {
        out: string;
        seed: string;
        principals: number;
        days: number;
        eventsPerDay: number;
        start: number;
        providers: Array<(typeof PROVIDERS)[number]>;
        gzip: boolean;
      }) => {
        const outputDir = path.resolve(options.out);
        const summary = await simulateEstate(
          {
            seed: options.seed,
            principals: options.principals,
            days: options.days,
            eventsPerDay: options.eventsPerDay,
            start: options.start,
            providers: options.providers,
          },
          createDirectorySink(outputDir, { gzip: options.gzip }),
        );
        const events = Object.entries(summary.events)
          .map(([provider, count]) => `${provider} ${formatCount(count)}`)
          .join(', ');
        const principals = Object.entries(summary.principals)
          .map(([provider, count]) => `${provider} ${formatCount(count)}`)
          .join(', ');
        process.stdout.write(
          [
            `Wrote ${formatCount(summary.files)} files (${formatBytes(summary.bytes)}) to ${outputDir}.`,
            `Principals: ${principals}.`,
            `Events: ${events}.`,
            `Planted: ${formatCount(summary.attacks)} attack sequences with ${formatCount(summary.plantedEvents)} events; see ground-truth.json.`,
            `Next: ciem run ${listForMessage([outputDir])} --out results (reads the logs and right-sizes every principal with the exports).`,
            '',
          ].join('\n'),
        );
      },
    );
}

function parseNonNegative(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) {
    throw new InvalidArgumentError(
      `expected a number of 0 or more, received ${JSON.stringify(value)}`,
    );
  }
  return parsed;
}

function parseDay(value: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const parsed = match
    ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
    : Number.NaN;
  if (!match || Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== value) {
    throw new InvalidArgumentError(
      `expected a date as YYYY-MM-DD, received ${JSON.stringify(value)}`,
    );
  }
  return parsed;
}

function parseProviders(value: string): Array<(typeof PROVIDERS)[number]> {
  const names = value.split(',').map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !(PROVIDERS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(
      `expected a comma-separated subset of ${PROVIDERS.join(',')}, received ${JSON.stringify(value)}`,
    );
  }
  return names as Array<(typeof PROVIDERS)[number]>;
}
