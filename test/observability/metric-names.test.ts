import { METRIC_NAME_PATTERN } from '@ciem/telemetry';
import { describe, expect, it } from 'vitest';
import {
  OTHER_SERVICE_METRICS,
  documentedMetricNames,
  platformMetricNames,
  platformRegistry,
} from './metric-catalog.js';
import { parsePromql } from './promql.js';

describe('platform metric names', () => {
  it('match the naming pattern', async () => {
    const names = await platformMetricNames();
    expect(names.length).toBeGreaterThan(40);
    for (const name of names) expect(name).toMatch(METRIC_NAME_PATTERN);
  });

  it('appear in the scraped text', async () => {
    const registry = platformRegistry();
    const text = await registry.metrics();
    const typed = [...text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1] ?? '');
    expect(typed.length).toBeGreaterThan(40);
    for (const name of typed) expect(name).toMatch(METRIC_NAME_PATTERN);
  });

  it('are all documented', async () => {
    const documented = new Set(documentedMetricNames());
    for (const name of await platformMetricNames()) {
      expect(documented.has(name), `${name} is missing from docs/metrics.md`).toBe(true);
    }
  });

  it('document only existing metrics', async () => {
    const known = new Set([...(await platformMetricNames()), ...OTHER_SERVICE_METRICS]);
    for (const name of documentedMetricNames()) {
      expect(name).toMatch(METRIC_NAME_PATTERN);
      expect(known.has(name), `docs/metrics.md lists unknown ${name}`).toBe(true);
    }
  });

  it('are documented in sorted order', () => {
    const documented = documentedMetricNames();
    expect(documented).toEqual([...documented].sort());
  });
});

describe('parsePromql', () => {
  it('collects selected metric names', () => {
    const parsed = parsePromql(
      'sum by (topic) (rate(ciem_normalizer_records_in_total{provider="aws"}[5m])) / ignoring(x) up',
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.metricNames).toEqual(['ciem_normalizer_records_in_total', 'up']);
  });

  it('reports unbalanced brackets', () => {
    expect(parsePromql('sum(rate(ciem_normalizer_errors_total[5m])').errors).not.toEqual([]);
  });
});
