import { isNormalizationError } from '@ciem/events';
import type { NormalizedEvent } from '@ciem/events';
import { normalizeRecord, readRecords } from '@ciem/normalize';
import { formatMappingSummary, summarizeMapping } from '@ciem/permission-map';
import type { MappingOutcome } from '@ciem/permission-map';
import { resolveInputs } from '@ciem/pipeline';
import type { Command } from 'commander';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { classifyFiles } from '@ciem/entitlements-store';
import { listForMessage } from '../list-for-message.js';

/** Registers `ciem normalize`: print normalized events as NDJSON, or the mapping report. */
export function registerNormalizeCommand(program: Command): void {
  program
    .command('normalize')
    .description(
      'Normalize CloudTrail, Azure Activity Log and GCP Audit Log files and print one NormalizedEvent per line (NDJSON) on stdout. Rejected records are printed on stderr with their reason. IAM exports and the files of ciem simulate among the inputs are skipped with one line each on stderr.',
    )
    .argument('<inputs...>', 'log files, folders (read recursively) or glob patterns')
    .option(
      '--mapping-report',
      'print how many calls map to IAM permissions, and list the unmapped ones, instead of the events',
    )
    .option('--errors-only', 'print only the rejected records (on stdout)')
    .action(
      async (inputs: string[], options: { mappingReport?: boolean; errorsOnly?: boolean }) => {
        const classified = await classifyFiles(await resolveInputs(inputs));
        const files = [...classified.log, ...classified.unknown].sort();
        if (classified.grants.length > 0) {
          process.stderr.write(
            `ciem: skipped ${classified.grants.length} IAM export file(s), not logs: ${listForMessage(classified.grants)} (evaluate them with ciem entitlements, or right-size with ciem run --grants)\n`,
          );
        }
        if (classified.simulator.length > 0) {
          process.stderr.write(
            `ciem: skipped ${classified.simulator.length} file(s) of ciem simulate that are not logs (ground truth, team map): ${listForMessage(classified.simulator)}\n`,
          );
        }
        const outcomes: MappingOutcome[] = [];
        const ingestTime = Date.now();
        let rejected = 0;
        for (const file of files) {
          for await (const item of readRecords(createReadStream(file), { name: file })) {
            const result = isNormalizationError(item)
              ? item
              : normalizeRecord(item, { rawRef: item.rawRef, ingestTime });
            if (isNormalizationError(result)) {
              rejected += 1;
              const line = `${JSON.stringify(result)}\n`;
              if (options.errorsOnly) await write(process.stdout, line);
              else if (!options.mappingReport) process.stderr.write(line);
              continue;
            }
            if (options.mappingReport) outcomes.push(mappingOutcomeOf(result));
            else if (!options.errorsOnly)
              await write(process.stdout, `${JSON.stringify(result)}\n`);
          }
        }
        if (options.mappingReport) {
          const byProvider = new Map<string, MappingOutcome[]>();
          for (const outcome of outcomes) {
            const list = byProvider.get(outcome.provider) ?? [];
            list.push(outcome);
            byProvider.set(outcome.provider, list);
          }
          for (const [provider, list] of [...byProvider.entries()].sort()) {
            process.stdout.write(
              `${provider}:\n${indent(formatMappingSummary(summarizeMapping(list)))}\n`,
            );
          }
          process.stdout.write(`rejected records (not normalized): ${rejected}\n`);
        }
      },
    );
}

function mappingOutcomeOf(event: NormalizedEvent): MappingOutcome {
  return {
    provider: event.provider,
    status: event.action.mapping,
    source: event.action.service,
    operation: event.action.operation,
  };
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n');
}

async function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}
