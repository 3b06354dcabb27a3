// The Prometheus metric names each service really registers: a fresh registry as @sms/runtime builds
// it (default process metrics), the HTTP app built on it as the runtime builds it (request histogram),
// and the service's own metrics classes registered on it as its composition root does. A dashboard
// that names anything else is caught.
import type { Registry } from 'prom-client';
import { createHttpApp, createMetricsRegistry } from '@sms/http';
import { createLogger } from '@sms/logging';
import { createConfigMetrics } from '../../../../services/config-service/src/adapters/observability/config-metrics.js';
import { NumberingMetrics } from '../../../../services/numbering-service/src/adapters/observability/numbering-metrics.js';
import { OpsMetrics } from '../../../../services/operator-management/src/adapters/observability/ops-metrics.js';
import { RoutingMetrics } from '../../../../services/routing-engine/src/adapters/observability/routing-metrics.js';
import { SmppMetrics } from '../../../../services/smpp-gateway/src/adapters/observability/smpp-metrics.js';
import { OrchestratorMetrics } from '../../../../services/sms-orchestrator/src/adapters/observability/orchestrator-metrics.js';
import { CallbackDispatcher } from '../../../../services/sms-orchestrator/src/adapters/callbacks/callback-dispatcher.js';
import type { CallbackDispatcherOptions } from '../../../../services/sms-orchestrator/src/adapters/callbacks/callback-dispatcher.js';

export const SERVICES = [
  'sms-orchestrator',
  'numbering-service',
  'operator-management',
  'config-service',
  'routing-engine',
  'smpp-gateway',
] as const;
export type ServiceName = (typeof SERVICES)[number];

/** One registered metric: its name and type (a histogram is queried as _bucket, _sum and _count). */
export interface RegisteredMetric {
  readonly name: string;
  readonly type: string;
}

const emptySources = {
  outboxLag: () => Promise.resolve({ pending: 0, oldestAgeMs: 0 }),
  inventory: () => Promise.resolve([]),
  overdue: () => Promise.resolve({ reservations: 0, quarantines: 0 }),
};

/** Registers the service's own metrics on `registry` the way its composition root does. */
function registerOwnMetrics(service: ServiceName, registry: Registry): void {
  switch (service) {
    case 'sms-orchestrator': {
      new OrchestratorMetrics(registry);
      // The dispatcher registers orch_callback_attempts_total in its constructor and touches none of
      // the other options there; it is never used here.
      new CallbackDispatcher({ registry } as unknown as CallbackDispatcherOptions);
      return;
    }
    case 'numbering-service': {
      new NumberingMetrics(registry).observe(emptySources);
      return;
    }
    case 'operator-management': {
      new OpsMetrics(registry, () => null);
      return;
    }
    case 'config-service': {
      createConfigMetrics(registry);
      return;
    }
    case 'routing-engine': {
      new RoutingMetrics(registry);
      return;
    }
    case 'smpp-gateway': {
      new SmppMetrics(registry);
      return;
    }
  }
}

/** Every metric the service exposes on /metrics. */
export async function registeredMetrics(service: ServiceName): Promise<readonly RegisteredMetric[]> {
  const registry = createMetricsRegistry(service);
  const app = await createHttpApp({ service, version: '0.0.0', logger: createLogger({ service, level: 'silent' }), registry });
  try {
    registerOwnMetrics(service, registry);
    return registry.getMetricsAsArray().map((metric) => ({ name: metric.name, type: String(metric.type) }));
  } finally {
    await app.close();
  }
}

/** The series names PromQL can use for these metrics (histograms and summaries expand). */
export function queryableNames(metrics: readonly RegisteredMetric[]): Set<string> {
  const names = new Set<string>();
  for (const { name, type } of metrics) {
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}
