import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isNormalizationError, type NormalizationReason, type Provider } from '@ciem/events';
import { describe, expect, it } from 'vitest';
import { normalizeFile } from './index.js';

// Public sample logs are kept outside the repository, in a folder beside the clone.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const datasetsDir = path.resolve(repoRoot, '..', 'shared', 'datasets');
const hasDatasets = existsSync(datasetsDir);
if (!hasDatasets) {
  console.log(`Sample datasets not found at ${datasetsDir}; skipping the conformance suite.`);
}

const PROVIDER_FOLDERS: Record<Provider, string> = {
  aws: 'aws',
  azure: 'azure',
  gcp: 'gcp',
};

/**
 * The errors each sample file is expected to produce, with the reason read from the file
 * itself. A file not listed here must normalize without any error.
 */
const EXPECTED_ERRORS: Record<string, Partial<Record<NormalizationReason, string>>> = {
  'aws/cloudtrail/otel-collector-contrib/cloudtrail_digest.json': {
    'not-an-event': 'a CloudTrail digest file lists log files and their hashes, not API calls',
  },
  'aws/cloudtrail/panther-analysis/rule-test-events.ndjson': {
    'missing-field':
      'rule-test fixtures trimmed to the keys a rule reads, some without eventTime or eventSource',
    'wrong-type': 'rule-test fixtures with placeholder times such as "redacted" and "..."',
  },
  'azure/activity/azure-rest-api-specs/GetActivityLogsFiltered.json': {
    'unsupported-provider':
      'an OpenAPI example file: the REST page sits under responses.200.body, not at the top',
  },
  'gcp/audit/panther-analysis/rule-test-events.ndjson': {
    'missing-field': 'rule-test fixtures without timestamp or protoPayload.methodName',
    'wrong-type': 'a rule-test fixture whose receiveTimestamp is the placeholder "..."',
    'unsupported-provider':
      'rule-test fragments such as {"methodName": ...} that carry none of the LogEntry keys',
  },
  'gcp/audit/plaso/gcp_logging.jsonl': {
    'not-an-event': 'two entries are application logs (jsonPayload, textPayload), not audit logs',
  },
};

/** Sidecar files that describe the samples and hold no log records. */
function isLogFile(file: string): boolean {
  return !file.endsWith('.csv') && !file.endsWith('.md');
}

function listFiles(directory: string): string[] {
  return readdirSync(directory)
    .sort()
    .flatMap((name) => {
      const file = path.join(directory, name);
      return statSync(file).isDirectory() ? listFiles(file) : [file];
    });
}

interface FileCounts {
  events: number;
  errors: Partial<Record<NormalizationReason, number>>;
}

describe.skipIf(!hasDatasets)('conformance on public samples', () => {
  for (const provider of Object.keys(PROVIDER_FOLDERS) as Provider[]) {
    it(`normalizes every ${provider} sample`, async () => {
      const folder = path.join(datasetsDir, PROVIDER_FOLDERS[provider]);
      const files = listFiles(folder).filter(isLogFile);
      expect(files.length).toBeGreaterThan(0);

      const totals: FileCounts = { events: 0, errors: {} };
      for (const file of files) {
        const relative = path.relative(datasetsDir, file);
        const counts: FileCounts = { events: 0, errors: {} };
        for await (const result of normalizeFile(file, { name: relative, ingestTime: 0 })) {
          expect(result.raw_ref.startsWith(relative), result.raw_ref).toBe(true);
          if (isNormalizationError(result)) {
            counts.errors[result.reason] = (counts.errors[result.reason] ?? 0) + 1;
          } else {
            expect(result.provider, result.raw_ref).toBe(provider);
            counts.events++;
          }
        }

        const expected = EXPECTED_ERRORS[relative] ?? {};
        for (const reason of Object.keys(counts.errors)) {
          expect(expected, `${relative}: unexpected ${reason} errors`).toHaveProperty(reason);
        }
        totals.events += counts.events;
        for (const [reason, count] of Object.entries(counts.errors)) {
          const key = reason as NormalizationReason;
          totals.errors[key] = (totals.errors[key] ?? 0) + count;
        }
        console.log(
          `${relative}: ${counts.events} events, errors ${JSON.stringify(counts.errors)}`,
        );
      }

      console.log(
        `${provider}: ${files.length} files, ${totals.events} events, errors ${JSON.stringify(totals.errors)}`,
      );
      expect(totals.events).toBeGreaterThan(0);
    });
  }
});
