import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NormalizedEvent } from '@ciem/events';
import { describe, expect, it } from 'vitest';
import { COUNTED_PHASES, countsAsUse } from '../index.js';

const migrations = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../schemas/clickhouse',
);

/** The migrations whose materialized views count permission use from `events`. */
const USAGE_VIEWS = [
  '0002_permission_usage.sql',
  '0008_principal_activity.sql',
  '0009_principal_permission_usage.sql',
];

/** Returns every `phase IN ('a', 'b')` list of a migration as arrays of the quoted values. */
function phaseFilters(fileName: string): string[][] {
  const text = readFileSync(path.join(migrations, fileName), 'utf8');
  return [...text.matchAll(/WHERE phase IN \(([^)]*)\)/g)].map((match) =>
    [...(match[1] ?? '').matchAll(/'([^']*)'/g)].map((value) => value[1] ?? ''),
  );
}

function withPhase(phase: string | null): NormalizedEvent {
  return { phase } as NormalizedEvent;
}

describe('countsAsUse', () => {
  for (const fileName of USAGE_VIEWS) {
    it(`matches the phase filter of ${fileName}`, () => {
      const filters = phaseFilters(fileName);
      expect(filters.length).toBeGreaterThan(0);
      for (const filter of filters) expect(new Set(filter)).toEqual(COUNTED_PHASES);
    });
  }

  it('counts events without phase', () => {
    expect(countsAsUse(withPhase(null))).toBe(true);
  });

  it('counts final Azure phases', () => {
    for (const phase of ['succeeded', 'failed', 'canceled']) {
      expect(countsAsUse(withPhase(phase))).toBe(true);
    }
  });

  it('skips unfinished Azure phases', () => {
    // Azure Monitor, "Azure Activity Log event schema", `status`: Started and In Progress
    // come before the Succeeded or Failed record of the same operation.
    for (const phase of ['started', 'accepted', 'in progress']) {
      expect(countsAsUse(withPhase(phase))).toBe(false);
    }
  });

  it('skips the completed GCP entry', () => {
    expect(countsAsUse(withPhase('completed'))).toBe(false);
  });
});
