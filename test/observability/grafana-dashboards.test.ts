import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createMetrics } from '@ciem/telemetry';
import { repoRoot } from '@ciem/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  CLICKHOUSE_PLUGIN,
  expandClickHouseMacros,
  interpolatePrometheusIntervals,
  interpolateVariables,
  loadDashboards,
  targetsOfType,
} from './grafana.js';
import type { Dashboard } from './grafana.js';
import {
  OTHER_SERVICE_METRICS,
  PROMETHEUS_METRICS,
  baseMetricName,
  platformMetricNames,
} from './metric-catalog.js';
import { parsePromql } from './promql.js';

const provisioning = path.join(repoRoot, 'deploy', 'grafana', 'provisioning');
const datasources = (
  parse(readFileSync(path.join(provisioning, 'datasources', 'datasources.yml'), 'utf8')) as {
    datasources: Array<{ name: string; type: string; uid: string; jsonData?: object }>;
  }
).datasources;
const compose = parse(readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as {
  services: Record<string, { environment?: Record<string, string>; volumes?: string[] }>;
};
const files = loadDashboards();
const range = {
  fromMs: Date.UTC(2026, 2, 4, 0, 0, 0),
  toMs: Date.UTC(2026, 2, 5, 12, 30, 0),
  intervalSeconds: 300,
};

let knownMetrics: Set<string>;

beforeAll(async () => {
  const defaults = (await createMetrics().getMetricsAsJSON()).map((metric) => metric.name);
  knownMetrics = new Set([
    ...(await platformMetricNames()),
    ...OTHER_SERVICE_METRICS,
    ...PROMETHEUS_METRICS,
    ...defaults,
  ]);
});

describe('Grafana provisioning', () => {
  it('finds the dashboards where compose mounts them', () => {
    const providers = (
      parse(readFileSync(path.join(provisioning, 'dashboards', 'dashboards.yml'), 'utf8')) as {
        providers: Array<{ options: { path: string } }>;
      }
    ).providers;
    const volumes = compose.services.grafana?.volumes ?? [];
    expect(volumes).toContain(`./deploy/grafana/dashboards:${providers[0]?.options.path}:ro`);
    expect(volumes).toContain('./deploy/grafana/provisioning:/etc/grafana/provisioning:ro');
  });

  it('installs the ClickHouse plugin', () => {
    const plugins = compose.services.grafana?.environment?.GF_INSTALL_PLUGINS ?? '';
    expect(plugins.split(',').map((entry) => entry.trim().split(' ')[0])).toContain(
      CLICKHOUSE_PLUGIN,
    );
    const clickhouse = datasources.find((source) => source.type === CLICKHOUSE_PLUGIN);
    expect(clickhouse?.jsonData).toMatchObject({ protocol: 'http', defaultDatabase: 'ciem' });
  });
});

describe('Grafana dashboards', () => {
  it('exist with unique uids', () => {
    expect(files.map((entry) => entry.file)).toEqual([
      'ciem-activity.json',
      'ciem-pipeline.json',
      'ciem-risk.json',
    ]);
    const uids = files.map((entry) => entry.dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('give panels unique ids', () => {
    for (const { file, dashboard } of files) {
      const ids = dashboard.panels.map((panel) => panel.id);
      expect(new Set(ids).size, file).toBe(ids.length);
    }
  });

  it('use only provisioned datasources', () => {
    for (const { file, dashboard } of files) {
      for (const panel of dashboard.panels) {
        for (const reference of [
          panel.datasource,
          ...(panel.targets ?? []).map((t) => t.datasource),
        ]) {
          const match = datasources.find(
            (source) => source.uid === reference?.uid && source.type === reference?.type,
          );
          expect(match, `${file} panel "${panel.title}"`).toBeDefined();
        }
      }
    }
  });
});

describe('Prometheus panels', () => {
  const queries = targetsOfType(files, 'prometheus');

  it('exist for every stage metric kind', () => {
    const text = queries.map((query) => query.target.expr ?? '').join('\n');
    for (const suffix of [
      'records_in_total',
      'records_out_total',
      'consumer_lag_records',
      'errors_total',
      'batch_duration_seconds_bucket',
      'records_dead_lettered_total',
    ]) {
      expect(text).toContain(`_${suffix}`);
    }
  });

  it('show every alert delivery counter', () => {
    const text = queries.map((query) => query.target.expr ?? '').join('\n');
    for (const counter of [
      'ciem_alert_forwarder_alerts_sent_total',
      'ciem_alert_forwarder_requests_failed_total',
      'ciem_alert_forwarder_requests_retried_total',
      'ciem_alert_forwarder_alerts_dead_lettered_total',
    ]) {
      expect(text).toContain(counter);
    }
  });

  it('parse as PromQL', () => {
    for (const query of queries) {
      const parsed = parsePromql(interpolatePrometheusIntervals(query.target.expr ?? ''));
      expect(parsed.errors, query.where).toEqual([]);
    }
  });

  it('name only existing metrics', () => {
    for (const query of queries) {
      const expression = interpolatePrometheusIntervals(query.target.expr ?? '');
      for (const series of parsePromql(expression).metricNames) {
        const name = baseMetricName(series, knownMetrics);
        expect(knownMetrics.has(name), `${query.where} names unknown ${series}`).toBe(true);
      }
    }
  });
});

describe('ClickHouse panels', () => {
  it('expand to plain SQL', () => {
    const queries = targetsOfType(files, CLICKHOUSE_PLUGIN);
    expect(queries.length).toBeGreaterThanOrEqual(10);
    for (const query of queries) {
      const sql = expandClickHouseMacros(
        interpolateVariables(query.target.rawSql ?? '', query.dashboard),
        range,
      );
      expect(sql, query.where).not.toContain('$');
      expect(query.target.queryType, query.where).toMatch(/^(table|timeSeries)$/);
    }
  });
});

describe('expandClickHouseMacros', () => {
  it('expands time and date filters', () => {
    const sql = expandClickHouseMacros(
      'WHERE $__timeFilter(event_time) AND $__dateFilter(day) AND t < $__toTime AND t > $__fromTime',
      range,
    );
    // 2026-03-04T00:00:00Z is 1772582400 s and 2026-03-05T12:30:00Z is 1772713800 s.
    expect(sql).toBe(
      'WHERE event_time >= toDateTime(1772582400) AND event_time <= toDateTime(1772713800)' +
        " AND day >= toDate('2026-03-04') AND day <= toDate('2026-03-05')" +
        ' AND t < toDateTime(1772713800) AND t > toDateTime(1772582400)',
    );
  });

  it('expands the interval in seconds', () => {
    expect(
      expandClickHouseMacros('intDiv(x, $__interval_s)', { ...range, intervalSeconds: 0.2 }),
    ).toBe('intDiv(x, 1)');
    expect(expandClickHouseMacros('$__interval_s', range)).toBe('300');
  });

  it('rejects macros it cannot run', () => {
    expect(() => expandClickHouseMacros('$__timeInterval(ts)', range)).toThrow(/timeInterval/);
  });
});

describe('interpolateVariables', () => {
  const dashboard: Dashboard = {
    uid: 'd',
    title: 'd',
    panels: [],
    templating: {
      list: [{ name: 'provider', type: 'custom', query: 'aws, azure,gcp', includeAll: true }],
    },
  };

  it('quotes every value of all', () => {
    expect(interpolateVariables('provider IN (${provider:singlequote})', dashboard)).toBe(
      "provider IN ('aws','azure','gcp')",
    );
  });

  it('joins plain references with commas', () => {
    expect(interpolateVariables('$provider ${provider}', dashboard)).toBe(
      'aws,azure,gcp aws,azure,gcp',
    );
  });
});
