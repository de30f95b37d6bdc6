import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ingestMetrics } from '@ciem/ingest';
import { FORWARDER_STAGE, createForwarderMetrics } from '@ciem/siem';
import { createMetrics, stageMetricName, stageMetrics } from '@ciem/telemetry';
import type { MetricsRegistry } from '@ciem/telemetry';
import { repoRoot } from '@ciem/testing';

/**
 * Every stage name the services pass to `stageMetrics`: the raw record publisher of the three
 * ingest services, the Event Hubs and Pub/Sub consumers (named `ingest-<provider>-<mode>` by
 * their services' wiring), and one stage per other service.
 */
export const PLATFORM_STAGES = [
  'ingest',
  'ingest-azure-eventhub',
  'ingest-gcp-pubsub',
  'normalizer',
  'dlq-sink',
  'analyzer-anomaly',
  FORWARDER_STAGE,
  'entitlements',
  'rightsizing',
] as const;

/** The stages that consume Kafka and so set their consumer lag gauge. */
export const CONSUMER_STAGES: readonly string[] = [
  'normalizer',
  'dlq-sink',
  'analyzer-anomaly',
  FORWARDER_STAGE,
];

/** Metrics other code registers that the catalog cannot build without starting that code. */
export const OTHER_SERVICE_METRICS: readonly string[] = [
  // services/api registers it when its HTTP server is built.
  'ciem_api_request_duration_seconds',
];

/** Series Prometheus itself adds to every scrape, which rules and dashboards may name. */
export const PROMETHEUS_METRICS: readonly string[] = ['up', 'scrape_duration_seconds'];

/** Registers the metrics of every platform stage in one registry, as the services do. */
export function platformRegistry(): MetricsRegistry {
  const registry = createMetrics({ defaultMetrics: false });
  for (const stage of PLATFORM_STAGES) stageMetrics(registry, stage);
  ingestMetrics(registry, 'ingest');
  createForwarderMetrics(registry);
  return registry;
}

/**
 * Returns the metric names the platform's stages expose, leaving out the consumer lag gauge
 * of stages that never consume Kafka (it is registered but never has a series).
 */
export async function platformMetricNames(): Promise<string[]> {
  const described = await platformRegistry().getMetricsAsJSON();
  const unusedLag = new Set(
    PLATFORM_STAGES.filter((stage) => !CONSUMER_STAGES.includes(stage)).map((stage) =>
      stageMetricName(stage, 'consumer_lag_records'),
    ),
  );
  return described
    .map((metric) => metric.name)
    .filter((name) => !unusedLag.has(name))
    .sort();
}

/** Returns the names listed between the `metric-names` markers of docs/metrics.md. */
export function documentedMetricNames(): string[] {
  const text = readFileSync(path.join(repoRoot, 'docs', 'metrics.md'), 'utf8');
  const start = text.indexOf('<!-- metric-names:start -->');
  const end = text.indexOf('<!-- metric-names:end -->');
  if (start < 0 || end < start) throw new Error('docs/metrics.md has no metric-names markers');
  return [...text.slice(start, end).matchAll(/^- `([^`]+)`$/gm)].map((match) => match[1] ?? '');
}

/**
 * Returns the metric name a PromQL selector refers to: a histogram's `_bucket`, `_sum` and
 * `_count` series map to the histogram's name when that name is in `known`.
 */
export function baseMetricName(series: string, known: ReadonlySet<string>): string {
  const base = series.replace(/_(bucket|sum|count)$/, '');
  return base !== series && known.has(base) ? base : series;
}
