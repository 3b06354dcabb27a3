import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const UNMATCHED_ROUTE = '__unmatched';

/**
 * A Prometheus registry for one service: default process metrics (CPU, memory, event loop, GC)
 * and a `service` label on every series. Services register their own metrics on it.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** `http_request_duration_seconds{method,route,status_code}`, registered once per registry. */
export function httpDurationHistogram(registry: Registry): Histogram<'method' | 'route' | 'status_code'> {
  const name = 'http_request_duration_seconds';
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Histogram<'method' | 'route' | 'status_code'>;
  return new Histogram({
    name,
    help: 'Duration of HTTP requests, by route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
}
