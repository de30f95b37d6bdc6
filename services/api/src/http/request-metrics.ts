import { Histogram } from 'prom-client';
import type { MetricsRegistry } from '@ciem/telemetry';

/** Histogram of API request durations. Labels: `route` (the template), `method`, `status`. */
export const METRIC_API_REQUEST_DURATION = 'ciem_api_request_duration_seconds';

/** Buckets in seconds: 5 ms to 10 s, dense around the 200 ms target. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5, 5, 10];

/**
 * Registers the request histogram and returns the function that records one request. The
 * route label is the route template (`/v1/principals/:principal_id`), never the raw URL,
 * so ids do not become series; unmatched requests use `unmatched`.
 */
export function createRequestMetrics(
  registry: MetricsRegistry,
): (route: string | undefined, method: string, status: number, seconds: number) => void {
  const existing = registry.getSingleMetric(METRIC_API_REQUEST_DURATION);
  const histogram =
    existing instanceof Histogram
      ? (existing as Histogram<'route' | 'method' | 'status'>)
      : new Histogram({
          name: METRIC_API_REQUEST_DURATION,
          help: 'Time the API took to respond to one request, in seconds.',
          labelNames: ['route', 'method', 'status'],
          buckets: BUCKETS,
          registers: [registry],
        });
  return (route, method, status, seconds) => {
    histogram.observe({ route: route ?? 'unmatched', method, status: String(status) }, seconds);
  };
}
