// deploy/kong/kong.yml (decK) and the migration phase patches in deploy/kong/phases/.
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fromRoot, isRecord, readJson, readYaml } from '../support/repo.js';

interface Route {
  readonly name: string;
  readonly kongService: string;
  readonly backend: string;
  readonly hosts: readonly string[];
  readonly methods: readonly string[];
  readonly paths: readonly string[];
  readonly priority: number;
  readonly plugins: readonly string[];
}

interface Operation {
  readonly service: string;
  readonly method: string;
  readonly path: string;
}

const EXPOSED_SERVICES = ['sms-orchestrator', 'numbering-service', 'config-service', 'operator-management'];
/** Operations that must never be reachable from the edge: bind passwords and the gateway's health reports. */
const INTERNAL_ONLY = new Set([
  'operator-management GET /v1/operators/{operatorId}/connections/{connectionId}/credentials',
  'operator-management POST /v1/health-reports',
]);

const asRecord = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const strings = (value: unknown): string[] => asList(value).map(String);
const pluginNames = (value: unknown): string[] => asList(value).map((p) => String(asRecord(p).name));

/** The platform service a Kong service sends to: its host, or the targets of the upstream it names. */
function backendOf(service: Record<string, unknown>, upstreams: Record<string, unknown>[]): string {
  const host = String(service.host);
  const upstream = upstreams.find((u) => u.name === host);
  const hosts = upstream === undefined ? [host] : asList(upstream.targets).map((t) => String(asRecord(t).target).split(':')[0] ?? '');
  const names = new Set(hosts.map((h) => h.split('.')[0] ?? h));
  if (names.size !== 1) throw new Error(`Kong service ${String(service.name)} sends to several backends: ${[...names].join(', ')}`);
  return [...names][0] ?? '';
}

async function kongRoutes(): Promise<{ routes: Route[]; config: Record<string, unknown> }> {
  const config = asRecord(await readYaml(fromRoot('deploy/kong/kong.yml')));
  const upstreams = asList(config.upstreams).map(asRecord);
  const routes: Route[] = [];
  for (const service of asList(config.services).map(asRecord)) {
    const backend = backendOf(service, upstreams);
    for (const route of asList(service.routes).map(asRecord)) {
      routes.push({
        name: String(route.name),
        kongService: String(service.name),
        backend,
        hosts: strings(route.hosts),
        methods: strings(route.methods),
        paths: strings(route.paths),
        priority: Number(route.regex_priority ?? 0),
        plugins: [...pluginNames(service.plugins), ...pluginNames(route.plugins)],
      });
    }
  }
  return { routes, config };
}

async function operations(): Promise<Operation[]> {
  const found: Operation[] = [];
  for (const service of EXPOSED_SERVICES) {
    const document = asRecord(await readJson(fromRoot(`services/${service}/openapi.json`)));
    for (const [path, item] of Object.entries(asRecord(document.paths))) {
      for (const method of Object.keys(asRecord(item))) {
        if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) found.push({ service, method: method.toUpperCase(), path });
      }
    }
  }
  return found;
}

/** A concrete request path for an OpenAPI path template. */
const samplePath = (template: string): string => template.replace(/\{[^}]+\}/g, 'sample-1');

/** Kong's path matching: `~` paths are regular expressions anchored at the start, others prefixes. */
const pathMatches = (kongPath: string, path: string): boolean =>
  kongPath.startsWith('~') ? new RegExp(`^${kongPath.slice(1)}`).test(path) : path.startsWith(kongPath);

function routesFor(routes: readonly Route[], method: string, path: string): Route[] {
  const matching = routes.filter((r) => (r.methods.length === 0 || r.methods.includes(method)) && r.paths.some((p) => pathMatches(p, path)));
  const best = Math.max(...matching.map((r) => r.priority));
  return matching.filter((r) => r.priority === best);
}

describe('Kong declarative configuration', () => {
  it('routes every public operation of the services\' OpenAPI documents to that service, by exactly one route', async () => {
    const { routes } = await kongRoutes();
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(40);
    for (const op of ops) {
      const key = `${op.service} ${op.method} ${op.path}`;
      const matched = routesFor(routes, op.method, samplePath(op.path));
      if (INTERNAL_ONLY.has(key)) {
        expect(matched.map((r) => r.name), `${key} must not be exposed`).toEqual([]);
        continue;
      }
      expect(matched.length, `${key}: routes ${matched.map((r) => r.name).join(', ') || 'none'}`).toBe(1);
      expect(matched[0]?.backend, key).toBe(op.service);
    }
  });

  it('has no route that matches no operation of its backend (a route to nothing)', async () => {
    const { routes } = await kongRoutes();
    const ops = await operations();
    for (const route of routes) {
      const served = ops.filter((op) => op.service === route.backend && route.methods.includes(op.method) && route.paths.some((p) => pathMatches(p, samplePath(op.path))));
      expect(served.length, `route ${route.name}`).toBeGreaterThan(0);
      for (const method of route.methods) {
        expect(served.some((op) => op.method === method), `route ${route.name} allows ${method}, which no matching operation has`).toBe(true);
      }
    }
  });

  it('serves /v1/sms/* on the tenant API host with JWT, key-auth and rate limiting; admin routes with JWT', async () => {
    const { routes } = await kongRoutes();
    for (const route of routes) {
      expect(route.plugins, route.name).toContain('jwt');
      expect(route.plugins, route.name).toContain('rate-limiting');
      const tenantFacing = route.hosts.includes('api.sms-platform.example');
      if (tenantFacing) expect(route.plugins, route.name).toContain('key-auth');
      expect(route.hosts.length, route.name).toBeGreaterThan(0);
    }
    expect(routes.filter((r) => r.backend === 'sms-orchestrator').map((r) => r.name).sort()).toEqual(['sms-bulk', 'sms-send', 'sms-status']);
  });

  it('adds a correlation id and a request size limit to every request, and keeps secrets out of the file', async () => {
    const { config } = await kongRoutes();
    const global = pluginNames(config.plugins);
    expect(global).toContain('correlation-id');
    expect(global).toContain('request-size-limiting');
    const text = JSON.stringify(config);
    expect(text).not.toMatch(/-----BEGIN/);
    const fromEnvironment = /^\$\{\{ env "DECK_[A-Z_]+" \}\}$/;
    for (const consumer of asList(config.consumers).map(asRecord)) {
      for (const secret of asList(consumer.jwt_secrets).map(asRecord)) expect(String(secret.rsa_public_key)).toMatch(fromEnvironment);
    }
    for (const certificate of [...asList(config.certificates), ...asList(config.ca_certificates)].map(asRecord)) {
      expect(String(certificate.cert)).toMatch(fromEnvironment);
      if (certificate.key !== undefined) expect(certificate.key).toMatch(fromEnvironment);
    }
    // Every certificate a service names is declared here.
    const ids = new Set([...asList(config.certificates), ...asList(config.ca_certificates)].map((c) => String(asRecord(c).id)));
    for (const service of asList(config.services).map(asRecord)) {
      for (const id of [service.client_certificate, ...asList(service.ca_certificates)].filter((v) => v !== undefined)) {
        expect(typeof id, `${String(service.name)}: certificate references are ids`).toBe('string');
        expect(ids.has(id as string), `${String(service.name)} names certificate ${id as string}`).toBe(true);
      }
    }
  });

  it('documents every migration phase as a patch of the sms-submit upstream with the planned weights', async () => {
    const dir = fromRoot('deploy/kong/phases');
    const weights = new Map<string, Record<string, number>>();
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.patch.yml'))) {
      const patch = asRecord(await readYaml(`${dir}/${file}`));
      const [only] = asList(patch.patches).map(asRecord);
      expect(strings(only?.selectors), file).toEqual(["$.upstreams[?(@.name=='sms-submit')]"]);
      const targets = asList(asRecord(only?.values).targets).map(asRecord);
      const byHost: Record<string, number> = {};
      for (const t of targets) byHost[String(t.target).split('.')[0] ?? ''] = Number(t.weight);
      weights.set(file, byHost);
    }
    const share = (w: Record<string, number> | undefined): number => {
      const total = Object.values(w ?? {}).reduce((a, b) => a + b, 0);
      return (w?.['sms-orchestrator'] ?? 0) / total;
    };
    expect(share(weights.get('phase-0-prepare.patch.yml'))).toBe(0);
    expect(share(weights.get('phase-1-shadow.patch.yml'))).toBe(0);
    expect(share(weights.get('phase-2-canary.patch.yml'))).toBe(0.05);
    expect(share(weights.get('phase-3-ramp-25.patch.yml'))).toBe(0.25);
    expect(share(weights.get('phase-3-ramp-50.patch.yml'))).toBe(0.5);
    // kong.yml itself is the cut-over: every request of the upstream to the orchestrator.
    const { config } = await kongRoutes();
    const upstream = asList(config.upstreams).map(asRecord).find((u) => u.name === 'sms-submit');
    expect(asList(upstream?.targets).map((t) => String(asRecord(t).target).split('.')[0])).toEqual(['sms-orchestrator']);
    const mirror = asRecord(await readYaml(`${dir}/phase-1-shadow-mirror.istio.yaml`));
    expect(asRecord(asRecord(asList(asRecord(mirror.spec).http)[0]).mirror).host).toBe('sms-orchestrator-shadow.sms.svc.cluster.local');
  });
});
