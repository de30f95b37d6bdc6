import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMemorySink } from './memory-sink.js';
import { simulateEstate } from './simulate.js';

// The public samples sit beside the clone, at ../shared/datasets from the repository root.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const datasets = path.resolve(repoRoot, '..', 'shared', 'datasets');
const hasDatasets = existsSync(datasets);
if (!hasDatasets)
  console.warn(`shared datasets not found at ${datasets}; skipping the sample conformance suite`);

type Json = Record<string, unknown>;

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** Reads every JSON object from a sample file: envelopes, single objects or JSON lines. */
function readObjects(file: string): Json[] {
  if (!/\.(json|jsonl|ndjson)$/.test(file)) return [];
  const text = readFileSync(file, 'utf8');
  try {
    const value = JSON.parse(text) as unknown;
    if (Array.isArray(value)) return value as Json[];
    const object = value as Json;
    if (Array.isArray(object.Records)) return object.Records as Json[];
    if (Array.isArray(object.records)) return object.records as Json[];
    return [object];
  } catch {
    return text
      .split('\n')
      .filter((line) => line.trim().startsWith('{'))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Json];
        } catch {
          return [];
        }
      });
  }
}

/** Collects, for each key of the objects, the JSON types it was seen with. */
function keyTypes(objects: readonly Json[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const object of objects) {
    for (const [key, value] of Object.entries(object)) {
      const set = out.get(key) ?? new Set<string>();
      set.add(jsonType(value));
      out.set(key, set);
    }
  }
  return out;
}

/** Lists keys or types of `ours` that the samples never show, as readable strings. */
function mismatches(ours: Map<string, Set<string>>, samples: Map<string, Set<string>>): string[] {
  const problems: string[] = [];
  for (const [key, types] of ours) {
    const seen = samples.get(key);
    if (!seen) {
      problems.push(`${key}: not in samples`);
      continue;
    }
    for (const type of types)
      if (!seen.has(type)) problems.push(`${key}: ${type} (samples: ${[...seen].join('/')})`);
  }
  return problems;
}

const sub = (objects: readonly Json[], key: string): Json[] =>
  objects
    .map((o) => o[key])
    .filter((v): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v));

async function generated(): Promise<Map<string, string>> {
  const sink = createMemorySink();
  await simulateEstate(
    { seed: 'conformance', start: Date.UTC(2026, 0, 5), principals: 30, days: 3, eventsPerDay: 20 },
    sink,
  );
  return sink.files;
}

describe.skipIf(!hasDatasets)('generated records against public samples', () => {
  it('matches CloudTrail API call fields', async () => {
    const samples = filesUnder(path.join(datasets, 'aws', 'cloudtrail')).flatMap(readObjects);
    const files = await generated();
    const ours = [...files]
      .filter(([p]) => p.startsWith('aws/cloudtrail/'))
      .flatMap(([, text]) => (JSON.parse(text) as { Records: Json[] }).Records);
    for (const identityType of ['IAMUser', 'AssumedRole']) {
      const pick = (records: Json[]) =>
        records.filter(
          (r) =>
            r.eventType === 'AwsApiCall' &&
            (r.userIdentity as Json | undefined)?.type === identityType,
        );
      const mine = pick(ours);
      expect(mine.length, identityType).toBeGreaterThan(0);
      expect(pick(samples).length, identityType).toBeGreaterThan(0);
      expect(mismatches(keyTypes(mine), keyTypes(pick(samples))), identityType).toEqual([]);
      expect(
        mismatches(
          keyTypes(sub(mine, 'userIdentity')),
          keyTypes(sub(pick(samples), 'userIdentity')),
        ),
        identityType,
      ).toEqual([]);
    }
    const signIns = (records: Json[]) =>
      records.filter((r) => String(r.eventType).toLowerCase() === 'awsconsolesignin');
    expect(mismatches(keyTypes(signIns(ours)), keyTypes(signIns(samples)))).toEqual([]);
  });

  it('matches Azure Event Hubs item fields', async () => {
    const samples = filesUnder(path.join(datasets, 'azure', 'activity'))
      .flatMap(readObjects)
      .filter((r) => typeof r.operationName === 'string' && typeof r.time === 'string');
    const files = await generated();
    const ours = [...files]
      .filter(([p]) => p.startsWith('azure/activity/'))
      .flatMap(([, text]) => (JSON.parse(text) as { records: Json[] }).records);
    expect(ours.length).toBeGreaterThan(0);
    expect(samples.length).toBeGreaterThan(0);
    expect(mismatches(keyTypes(ours), keyTypes(samples))).toEqual([]);
    expect(mismatches(keyTypes(sub(ours, 'identity')), keyTypes(sub(samples, 'identity')))).toEqual(
      [],
    );
  });

  it('matches GCP LogEntry and AuditLog fields', async () => {
    const samples = filesUnder(path.join(datasets, 'gcp', 'audit'))
      .flatMap(readObjects)
      .filter((r) => typeof r.protoPayload === 'object');
    const files = await generated();
    const ours = [...files]
      .filter(([p]) => p.startsWith('gcp/audit/'))
      .flatMap(([, text]) =>
        text
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Json),
      );
    expect(ours.length).toBeGreaterThan(0);
    expect(mismatches(keyTypes(ours), keyTypes(samples))).toEqual([]);
    expect(
      mismatches(keyTypes(sub(ours, 'protoPayload')), keyTypes(sub(samples, 'protoPayload'))),
    ).toEqual([]);
  });
});
