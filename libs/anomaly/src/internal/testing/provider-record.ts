import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NormalizedEvent } from '@ciem/events';
import { normalizeText } from '@ciem/normalize';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** A provider record as parsed JSON, which tests copy and change field by field. */
export type ProviderRecord = Record<string, unknown>;

/** Reads one provider record, written in the provider's own format, from `fixtures/`. */
export function readFixture(name: string): ProviderRecord {
  return JSON.parse(readFileSync(path.join(fixtures, name), 'utf8')) as ProviderRecord;
}

/** Runs one provider record through the normalizer; throws when it does not normalize. */
export function normalizeRecord(record: ProviderRecord, rawRef = 'fixture'): NormalizedEvent {
  const result = normalizeText(undefined, JSON.stringify(record), {
    rawRef,
    ingestTime: Date.UTC(2024, 2, 6),
  });
  if ('kind' in result) throw new Error(`record ${rawRef} did not normalize: ${result.message}`);
  return result;
}

/** Normalizes a fixture as stored. */
export function normalizeFixture(name: string): NormalizedEvent {
  return normalizeRecord(readFixture(name), name);
}
