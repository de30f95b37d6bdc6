import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@ciem/testing';

/** The datasource reference of a panel or target. */
export interface DatasourceRef {
  type: string;
  uid: string;
}

/** One query of a panel: ClickHouse targets carry `rawSql`, Prometheus targets `expr`. */
export interface DashboardTarget {
  refId: string;
  datasource?: DatasourceRef;
  rawSql?: string;
  expr?: string;
  queryType?: string;
  format?: number;
}

export interface DashboardPanel {
  id: number;
  title: string;
  type: string;
  datasource?: DatasourceRef;
  targets?: DashboardTarget[];
}

export interface DashboardVariable {
  name: string;
  type: string;
  query: string;
  includeAll?: boolean;
  multi?: boolean;
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: DashboardPanel[];
  templating: { list: DashboardVariable[] };
}

/** A dashboard file of deploy/grafana/dashboards with its parsed JSON. */
export interface DashboardFile {
  file: string;
  dashboard: Dashboard;
}

export const dashboardsDir = path.join(repoRoot, 'deploy', 'grafana', 'dashboards');

export const CLICKHOUSE_PLUGIN = 'grafana-clickhouse-datasource';

/** Reads every dashboard JSON file that Grafana provisions. */
export function loadDashboards(): DashboardFile[] {
  return readdirSync(dashboardsDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      dashboard: JSON.parse(readFileSync(path.join(dashboardsDir, file), 'utf8')) as Dashboard,
    }));
}

/** One query with the panel and dashboard it belongs to, for messages. */
export interface PanelQuery {
  where: string;
  panel: DashboardPanel;
  target: DashboardTarget;
  dashboard: Dashboard;
}

/** Returns every target whose datasource (its own or its panel's) is of plugin type `type`. */
export function targetsOfType(files: readonly DashboardFile[], type: string): PanelQuery[] {
  return files.flatMap(({ file, dashboard }) =>
    dashboard.panels.flatMap((panel) =>
      (panel.targets ?? [])
        .filter((target) => (target.datasource ?? panel.datasource)?.type === type)
        .map((target) => ({
          where: `${file} panel "${panel.title}" target ${target.refId}`,
          panel,
          target,
          dashboard,
        })),
    ),
  );
}

/** The time range and interval a panel query runs with. */
export interface QueryRange {
  /** Start of the range, in epoch milliseconds. */
  fromMs: number;
  /** End of the range, in epoch milliseconds. */
  toMs: number;
  /** The panel's interval, in seconds. */
  intervalSeconds: number;
}

/** Formats epoch milliseconds as `toDateTime(<seconds>)`, as the plugin does for DateTime. */
function dateTimeOf(ms: number): string {
  return `toDateTime(${Math.floor(ms / 1000)})`;
}

/** Formats epoch milliseconds as `toDate('YYYY-MM-DD')` in UTC, as the plugin does for Date. */
function dateOf(ms: number): string {
  return `toDate('${new Date(ms).toISOString().slice(0, 10)}')`;
}

/**
 * Expands the macros of the Grafana ClickHouse plugin (grafana-clickhouse-datasource 4.x,
 * pkg/macros/macros.go) the way its backend does before sending the query:
 * `$__timeFilter(c)` becomes `c >= toDateTime(<from s>) AND c <= toDateTime(<to s>)`,
 * `$__dateFilter(c)` the same with `toDate('<YYYY-MM-DD>')`, `$__fromTime` and `$__toTime`
 * `toDateTime(<s>)`, and `$__interval_s` the interval in whole seconds (at least 1).
 * Throws on any other macro, so a dashboard cannot use one this test does not run.
 */
export function expandClickHouseMacros(sql: string, range: QueryRange): string {
  const interval = String(Math.max(Math.floor(range.intervalSeconds), 1));
  const expanded = sql
    .replace(/\$__timeFilter\(\s*([^)]+?)\s*\)/g, (_match, column: string) => {
      return `${column} >= ${dateTimeOf(range.fromMs)} AND ${column} <= ${dateTimeOf(range.toMs)}`;
    })
    .replace(/\$__dateFilter\(\s*([^)]+?)\s*\)/g, (_match, column: string) => {
      return `${column} >= ${dateOf(range.fromMs)} AND ${column} <= ${dateOf(range.toMs)}`;
    })
    .replace(/\$__fromTime\b/g, dateTimeOf(range.fromMs))
    .replace(/\$__toTime\b/g, dateTimeOf(range.toMs))
    .replace(/\$__interval_s\b/g, interval);
  const unknown = /\$__\w+/.exec(expanded);
  if (unknown !== null) throw new Error(`unsupported ClickHouse plugin macro ${unknown[0]}`);
  return expanded;
}

/** Returns the values a custom variable offers: its comma-separated `query`. */
function customValues(variable: DashboardVariable): string[] {
  return variable.query
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

/**
 * Replaces dashboard variables as Grafana does with every value selected (`All` without an
 * `allValue`): `${name:singlequote}` becomes `'a','b'`, `${name:csv}` `a,b`, and `${name}`
 * or `$name` the values joined by commas. Only custom variables are supported; any other
 * `$` reference left over throws.
 */
export function interpolateVariables(text: string, dashboard: Dashboard): string {
  let result = text;
  for (const variable of dashboard.templating.list) {
    if (variable.type !== 'custom') {
      throw new Error(`variable ${variable.name} of type ${variable.type} is not supported`);
    }
    const values = customValues(variable);
    const quoted = values.map((value) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);
    result = result
      .replaceAll(`\${${variable.name}:singlequote}`, quoted.join(','))
      .replaceAll(`\${${variable.name}:csv}`, values.join(','))
      .replaceAll(`\${${variable.name}}`, values.join(','))
      .replace(new RegExp(`\\$${variable.name}\\b`, 'g'), values.join(','));
  }
  return result;
}

/** Replaces Grafana's Prometheus interval variables with fixed durations before parsing. */
export function interpolatePrometheusIntervals(expression: string): string {
  return expression
    .replaceAll('$__rate_interval', '5m')
    .replaceAll('${__rate_interval}', '5m')
    .replaceAll('$__interval', '1m')
    .replaceAll('$__range', '1h');
}
