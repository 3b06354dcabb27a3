// deploy/grafana/*.json: generated from src/dashboards.ts, and every query names only metrics the
// services really register (read from their metrics classes on a fresh prom-client registry).
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS } from '../../src/dashboards.js';
import { dashboardJson, dashboardQueries } from '../../src/grafana-model.js';
import { metricNamesIn } from '../../src/promql-names.js';
import { fromRoot, readJson } from '../support/repo.js';
import { SERVICES, queryableNames, registeredMetrics } from '../support/service-metrics.js';
import type { ServiceName } from '../support/service-metrics.js';

const isService = (name: string): name is ServiceName => (SERVICES as readonly string[]).includes(name);

async function namesOf(services: readonly string[]): Promise<Set<string>> {
  const names = new Set<string>();
  for (const service of services) {
    if (!isService(service)) throw new Error(`unknown service ${service}`);
    for (const name of queryableNames(await registeredMetrics(service))) names.add(name);
  }
  return names;
}

describe('Grafana dashboards', () => {
  it('has exactly the generated dashboards in deploy/grafana (run npm run dashboards:generate -w @sms/deploy-check)', async () => {
    const files = (await readdir(fromRoot('deploy/grafana'))).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(DASHBOARDS.map(({ spec }) => `${spec.file}.json`).sort());
    for (const { spec } of DASHBOARDS) {
      expect(await readJson(fromRoot(`deploy/grafana/${spec.file}.json`)), spec.file).toEqual(dashboardJson(spec));
    }
  });

  it('has one dashboard per service, the config service\'s two named dashboards and an SLO dashboard with burn rates', async () => {
    const titles = new Map(DASHBOARDS.map(({ spec }) => [spec.file, spec.title]));
    for (const service of SERVICES) expect(titles.has(service), service).toBe(true);
    expect(titles.get('config-service')).toBe('Config Service Overview');
    expect([...titles.values()]).toContain('Resolution Pipeline Breakdown');
    const slo = await readJson(fromRoot('deploy/grafana/slo.json'));
    expect(dashboardQueries(slo).filter(({ panel }) => /burn rate/i.test(panel)).length).toBeGreaterThanOrEqual(4);
  });

  it('names in every query only metrics the dashboard\'s services register', async () => {
    let checked = 0;
    for (const { spec, services } of DASHBOARDS) {
      const known = await namesOf(services);
      const dashboard = await readJson(fromRoot(`deploy/grafana/${spec.file}.json`));
      for (const { panel, expr } of dashboardQueries(dashboard)) {
        const names = metricNamesIn(expr);
        expect(names.length, `${spec.file} / ${panel}: no metric found in ${expr}`).toBeGreaterThan(0);
        for (const name of names) expect(known.has(name), `${spec.file} / ${panel}: ${name} is not registered by ${services.join(', ')}`).toBe(true);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(80);
  });

  it('finds metric names in PromQL and nothing else', () => {
    expect(metricNamesIn('histogram_quantile(0.95, sum by (le, endpoint) (rate(orch_submit_duration_seconds_bucket{service="x",le="0.2"}[$__rate_interval])))')).toEqual([
      'orch_submit_duration_seconds_bucket',
    ]);
    expect(metricNamesIn('sum(rate(a_total[5m])) / sum(rate(b_total[5m] offset 1h)) > bool 0 and on (pod) c')).toEqual(['a_total', 'b_total', 'c']);
    expect(metricNamesIn('time() - max(x_seconds{service="y"})')).toEqual(['x_seconds']);
  });
});
