import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createMetrics } from '@ciem/telemetry';
import { repoRoot } from '@ciem/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  OTHER_SERVICE_METRICS,
  PROMETHEUS_METRICS,
  baseMetricName,
  platformMetricNames,
} from './metric-catalog.js';
import { parsePromql } from './promql.js';

interface AlertRule {
  alert?: string;
  expr?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const prometheusDir = path.join(repoRoot, 'deploy', 'prometheus');
const config = parse(readFileSync(path.join(prometheusDir, 'prometheus.yml'), 'utf8')) as {
  rule_files?: string[];
  scrape_configs?: Array<{ job_name: string; static_configs?: Array<{ targets: string[] }> }>;
};
const ruleFiles = readdirSync(path.join(prometheusDir, 'rules')).filter((file) =>
  file.endsWith('.yml'),
);
const rules: AlertRule[] = ruleFiles.flatMap((file) => {
  const document = parse(readFileSync(path.join(prometheusDir, 'rules', file), 'utf8')) as {
    groups: Array<{ name: string; rules: AlertRule[] }>;
  };
  return document.groups.flatMap((group) => group.rules);
});

let knownMetrics: Set<string>;

beforeAll(async () => {
  // prom-client's default metrics, such as process_start_time_seconds, are on every target.
  const defaults = (await createMetrics().getMetricsAsJSON()).map((metric) => metric.name);
  knownMetrics = new Set([
    ...(await platformMetricNames()),
    ...OTHER_SERVICE_METRICS,
    ...PROMETHEUS_METRICS,
    ...defaults,
  ]);
});

describe('Prometheus alerting rules', () => {
  it('are loaded by prometheus.yml', () => {
    expect(config.rule_files).toEqual(['rules/*.yml']);
    expect(ruleFiles.length).toBeGreaterThan(0);
  });

  it('are mounted by docker-compose.yml', () => {
    const compose = parse(readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8'), {
      merge: true,
    }) as { services: Record<string, { volumes?: string[] }> };
    // prometheus.yml and rules/ are read from /etc/prometheus, the image's config folder.
    expect(compose.services.prometheus?.volumes).toContain(
      './deploy/prometheus:/etc/prometheus:ro',
    );
  });

  it('cover lag, dead letters and stops', () => {
    const names = new Set(rules.map((rule) => rule.alert));
    for (const name of [
      'CiemConsumerLagGrowing',
      'CiemDeadLetterRateHigh',
      'CiemStageStalled',
      'CiemConsumerStuck',
      'CiemTargetDown',
      'CiemMetricsAbsent',
    ]) {
      expect(names.has(name), `no rule ${name}`).toBe(true);
    }
  });

  it('have the fields Alertmanager needs', () => {
    for (const rule of rules) {
      const what = `rule ${rule.alert}`;
      expect(rule.alert, what).toMatch(/^Ciem[A-Za-z]+$/);
      expect(rule.for, what).toMatch(/^\d+[smh]$/);
      expect(['warning', 'critical'], what).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, what).toBeTruthy();
      expect(rule.annotations?.description, what).toBeTruthy();
    }
  });

  it('parse as PromQL', () => {
    for (const rule of rules) {
      const parsed = parsePromql(rule.expr ?? '');
      expect(parsed.errors, `${rule.alert}: ${rule.expr}`).toEqual([]);
      expect(parsed.metricNames.length, `${rule.alert} selects no metric`).toBeGreaterThan(0);
    }
  });

  it('name only existing metrics', () => {
    for (const rule of rules) {
      for (const series of parsePromql(rule.expr ?? '').metricNames) {
        const name = baseMetricName(series, knownMetrics);
        expect(knownMetrics.has(name), `${rule.alert} names unknown metric ${series}`).toBe(true);
      }
    }
  });

  it('name only scraped instances', () => {
    const targets = new Set(
      (config.scrape_configs ?? [])
        .filter((job) => job.job_name === 'ciem')
        .flatMap((job) => job.static_configs ?? [])
        .flatMap((group) => group.targets),
    );
    for (const rule of rules) {
      for (const match of (rule.expr ?? '').matchAll(/instance="([^"]+)"/g)) {
        expect(targets.has(match[1] ?? ''), `${rule.alert} names ${match[1]}`).toBe(true);
      }
    }
  });

  it('label each stage rule with a known stage', () => {
    for (const rule of rules) {
      const stage = rule.labels?.stage;
      if (stage === undefined) continue;
      const part = stage.replace(/-/g, '_');
      for (const series of parsePromql(rule.expr ?? '').metricNames) {
        if (!series.startsWith('ciem_')) continue;
        expect(series.startsWith(`ciem_${part}_`), `${rule.alert} ${stage}: ${series}`).toBe(true);
      }
    }
  });
});
