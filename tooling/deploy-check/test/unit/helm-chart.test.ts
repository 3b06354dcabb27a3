// The Helm chart deploy/helm/sms-service and its per-service values (deploy/helm/values/<service>.yaml).
// `helm` cannot be installed here, so the chart is not rendered: these tests check what can be checked
// without it (docs/deployment.md, "What is tested").
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { loadConfig } from '@sms/config';
import { runtimeEnv } from '@sms/runtime';
import { gatewayEnv } from '@sms/smpp-gateway';
import { configServiceEnv } from '../../../../services/config-service/src/config-service-env.js';
import { numberingEnv } from '../../../../services/numbering-service/src/adapters/config/numbering-env.js';
import { opsEnv } from '../../../../services/operator-management/src/adapters/config/ops-config.js';
import { orchestratorEnv } from '../../../../services/sms-orchestrator/src/orchestrator-env.js';
import { configService } from '../../../../services/config-service/src/service.js';
import { numberingService } from '../../../../services/numbering-service/src/service.js';
import { operatorManagementService } from '../../../../services/operator-management/src/service.js';
import { routingEngineService } from '../../../../services/routing-engine/src/service.js';
import { smppGatewayService } from '../../../../services/smpp-gateway/src/service.js';
import { smsOrchestratorService } from '../../../../services/sms-orchestrator/src/service.js';
import { blockProblems, mergeValues, valueAt, valuesReferences } from '../support/helm.js';
import { fromRoot, isRecord, readText, readYaml, serviceFolders } from '../support/repo.js';
import { SERVICES } from '../support/service-metrics.js';
import type { ServiceName } from '../support/service-metrics.js';

const CHART = fromRoot('deploy/helm/sms-service');
const TEMPLATES = fromRoot('deploy/helm/sms-service/templates');

/** Each service's env schemas: the runtime's (every service) and its own. */
const ENV_SCHEMAS: Record<ServiceName, readonly z.ZodObject[]> = {
  'sms-orchestrator': [runtimeEnv, orchestratorEnv],
  'numbering-service': [runtimeEnv, numberingEnv],
  'operator-management': [runtimeEnv, opsEnv],
  'config-service': [runtimeEnv, configServiceEnv],
  'routing-engine': [runtimeEnv],
  'smpp-gateway': [runtimeEnv, gatewayEnv],
};

const DEFAULT_PORTS: Record<ServiceName, number> = {
  'sms-orchestrator': smsOrchestratorService.defaultPort,
  'numbering-service': numberingService.defaultPort,
  'operator-management': operatorManagementService.defaultPort,
  'config-service': configService.defaultPort,
  'routing-engine': routingEngineService.defaultPort,
  'smpp-gateway': smppGatewayService.defaultPort,
};

const KONG = 'kong/kong';
/**
 * Who may call whom (ARCHITECTURE.md: Kong is the edge for the submit API and the admin/tenant REST
 * surfaces; the orchestrator calls numbering over gRPC, the routing engine and config-service; the SMPP
 * gateway reads bind credentials from operator-management's mTLS API; nothing calls the gateway).
 * `service/port name ← caller`; a caller in another namespace is `namespace/app`.
 */
const ALLOWED_CALLERS = [
  'sms-orchestrator/http ← kong/kong',
  'numbering-service/http ← kong/kong',
  'numbering-service/grpc ← sms-orchestrator',
  'operator-management/mtls ← smpp-gateway',
  'operator-management/mtls ← kong/kong',
  'config-service/http ← sms-orchestrator',
  'config-service/http ← kong/kong',
  'routing-engine/http ← sms-orchestrator',
].sort();

async function chartDefaults(): Promise<unknown> {
  return readYaml(`${CHART}/values.yaml`);
}

/** The chart's defaults, the service's values file, then any overlay files (as `helm -f a -f b`). */
async function mergedValues(service: ServiceName, overlays: readonly string[] = []): Promise<Record<string, unknown>> {
  let merged = mergeValues(await chartDefaults(), await readYaml(fromRoot(`deploy/helm/values/${service}.yaml`)));
  for (const overlay of overlays) merged = mergeValues(merged, await readYaml(fromRoot(`deploy/helm/values/${overlay}`)));
  if (!isRecord(merged)) throw new Error(`values of ${service} are not a map`);
  return merged;
}

async function templates(): Promise<Array<{ file: string; text: string }>> {
  const files = (await readdir(TEMPLATES)).filter((f) => f.endsWith('.yaml') || f.endsWith('.tpl')).sort();
  return Promise.all(files.map(async (file) => ({ file, text: await readText(`${TEMPLATES}/${file}`) })));
}

const record = (value: unknown, what: string): Record<string, unknown> => {
  if (!isRecord(value)) throw new Error(`${what} is not a map`);
  return value;
};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * The environment the Deployment template gives the container: its fixed `env` entries (values looked
 * up in the merged values), `.Values.env`, and what the Vault agent renders (placeholders: the values
 * come from Vault at run time).
 */
async function containerEnv(service: ServiceName, overlays: readonly string[] = []): Promise<Record<string, string>> {
  const values = await mergedValues(service, overlays);
  const template = await readText(`${TEMPLATES}/deployment.yaml`);
  const env: Record<string, string> = {};
  for (const match of template.matchAll(/- name: ([A-Z][A-Z0-9_]*)\n\s+value: (.+)/g)) {
    const [, name = '', expression = ''] = match;
    env[name] = evaluate(expression.trim(), values, name);
  }
  for (const [name, value] of Object.entries(record(values.env ?? {}, 'env'))) env[name] = String(value);
  const vault = record(values.vault, 'vault');
  if (vault.enabled === true) {
    env.VAULT_TOKEN = 'rendered-by-the-vault-agent';
    if (record(vault.database, 'vault.database').enabled === true) env.DATABASE_URL = 'postgres://vault-login:vault-password@postgres-primary.data.svc:5432/sms?sslmode=verify-full';
    for (const entry of list(vault.secretEnv)) {
      const { name } = record(entry, 'vault.secretEnv[]');
      env[String(name)] = name === 'SMPP_CONNECTIONS' ? '[]' : 'rendered-by-the-vault-agent';
    }
  }
  return env;
}

/** The few template expressions the Deployment's env uses; anything else fails the test. */
function evaluate(expression: string, values: unknown, name: string): string {
  const lookup = (path: string): unknown => valueAt(values, path.split('.').filter((s) => s !== ''));
  if (!expression.includes('{{')) return expression;
  let match = /^\{\{ (?:required "[^"]*" )?\.Values((?:\.\w+)+) \| quote \}\}$/.exec(expression);
  if (match) return String(lookup(match[1] ?? ''));
  match = /^\{\{ mul \(sub \.Values((?:\.\w+)+) \(add \.Values((?:\.\w+)+) (\d+)\)\) (\d+) \| quote \}\}$/.exec(expression);
  if (match) {
    const [, grace = '', preStop = '', extra = '0', factor = '1'] = match;
    return String((Number(lookup(grace)) - (Number(lookup(preStop)) + Number(extra))) * Number(factor));
  }
  throw new Error(`deployment.yaml: the test cannot evaluate the value of ${name}: ${expression}`);
}

describe('Helm chart sms-service', () => {
  it('has a values file for every service folder, naming that service', async () => {
    const folders = await serviceFolders();
    expect(folders).toEqual([...SERVICES].sort());
    for (const service of SERVICES) {
      const values = record(await readYaml(fromRoot(`deploy/helm/values/${service}.yaml`)), service);
      expect(values.service, `deploy/helm/values/${service}.yaml`).toBe(service);
    }
  });

  it('renders a Deployment, PodDisruptionBudget, HorizontalPodAutoscaler and NetworkPolicy for every release (unconditional templates)', async () => {
    // kind → whether some template emits it without a condition around the whole file.
    const kinds = new Map<string, boolean>();
    for (const { text } of await templates()) {
      const body = text.replace(/^(?:#.*|\{\{-? \$[^}]*\}\}|\{\{\/\*[\s\S]*?\*\/\}\})\n/gm, '');
      const unconditional = !/^\s*\{\{-? if /.test(body);
      for (const match of text.matchAll(/^kind: (\w+)$/gm)) kinds.set(match[1] ?? '', (kinds.get(match[1] ?? '') ?? false) || unconditional);
    }
    for (const kind of ['Deployment', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PeerAuthentication', 'ServiceMonitor', 'Service', 'ServiceAccount']) {
      expect(kinds.get(kind), `${kind} is emitted unconditionally`).toBe(true);
    }
    for (const kind of ['Certificate', 'AuthorizationPolicy', 'Job']) expect(kinds.has(kind), kind).toBe(true);
  });

  it('has well-nested template actions in every template', async () => {
    for (const { file, text } of await templates()) expect(blockProblems(text), file).toEqual([]);
  });

  it('reads only values that every service defines (chart defaults merged with the service file)', async () => {
    const all = await templates();
    for (const service of SERVICES) {
      const values = await mergedValues(service);
      for (const { file, text } of all) {
        for (const path of valuesReferences(text)) {
          expect(valueAt(values, path), `${service}: ${file} reads .Values.${path.join('.')}`).not.toBeUndefined();
        }
      }
    }
  });

  it('probes /health/live and /health/ready on the HTTP port, which is the service definition\'s port', async () => {
    const deployment = await readText(`${TEMPLATES}/deployment.yaml`);
    expect(deployment).toMatch(/livenessProbe:\n\s+httpGet:\n\s+path: \{\{ \.Values\.probes\.liveness\.path \}\}\n\s+port: http/);
    expect(deployment).toMatch(/readinessProbe:\n\s+httpGet:\n\s+path: \{\{ \.Values\.probes\.readiness\.path \}\}\n\s+port: http/);
    for (const service of SERVICES) {
      const values = await mergedValues(service);
      expect(valueAt(values, ['probes', 'liveness', 'path'])).toBe('/health/live');
      expect(valueAt(values, ['probes', 'readiness', 'path'])).toBe('/health/ready');
      expect(values.httpPort, service).toBe(DEFAULT_PORTS[service]);
    }
  });

  it('sets resources, a PDB below the HPA minimum and an HPA range for every service', async () => {
    for (const service of SERVICES) {
      const values = await mergedValues(service);
      const resources = record(values.resources, `${service} resources`);
      for (const part of ['requests', 'limits']) {
        const r = record(resources[part], `${service} resources.${part}`);
        expect(r.cpu, `${service} ${part}.cpu`).toBeTruthy();
        expect(r.memory, `${service} ${part}.memory`).toBeTruthy();
      }
      const hpa = record(values.hpa, `${service} hpa`);
      const pdb = record(values.pdb, `${service} pdb`);
      expect(Number(hpa.maxReplicas), service).toBeGreaterThanOrEqual(Number(hpa.minReplicas));
      // A PDB that equals the replica count would block every voluntary eviction (node drains).
      expect(Number(pdb.minAvailable), service).toBeLessThan(Number(hpa.minReplicas));
    }
    expect(valueAt(await mergedValues('numbering-service'), ['pdb', 'minAvailable'])).toBe(2);
  });

  it('gives each service only environment variables its env schemas know', async () => {
    for (const service of SERVICES) {
      const known = new Set(ENV_SCHEMAS[service].flatMap((schema) => Object.keys(schema.shape)));
      const unknown = Object.keys(await containerEnv(service)).filter((name) => !known.has(name));
      expect(unknown, `${service}: variables no env schema of the service knows`).toEqual([]);
    }
  });

  it('gives each service an environment its own Zod validation accepts in production mode', async () => {
    for (const service of SERVICES) {
      const env = await containerEnv(service);
      expect(env.NODE_ENV).toBe('production');
      for (const schema of ENV_SCHEMAS[service]) expect(() => loadConfig(schema, env), service).not.toThrow();
    }
  });

  it('runs the shadow orchestrator (migration phase 1) with a valid environment, its own names and no calls out', async () => {
    const overlay = ['sms-orchestrator-shadow.yaml'];
    const values = await mergedValues('sms-orchestrator', overlay);
    expect(values.nameOverride).toBe('sms-orchestrator-shadow');
    const env = await containerEnv('sms-orchestrator', overlay);
    for (const schema of ENV_SCHEMAS['sms-orchestrator']) expect(() => loadConfig(schema, env)).not.toThrow();
    const known = new Set(ENV_SCHEMAS['sms-orchestrator'].flatMap((schema) => Object.keys(schema.shape)));
    expect(Object.keys(env).filter((name) => !known.has(name))).toEqual([]);
    expect(env.SUBMIT_API_ENABLED).toBe('true');
    expect(env.NATS_STREAM_PREFIX).toBe('SHADOW_');
    expect(env.NATS_SUBJECT_PREFIX).toBe('shadow');
    for (const name of ['NUMBERING_GRPC_ADDRESS', 'ROUTING_ENGINE_URL', 'CONFIG_SERVICE_URL']) expect(env[name], name).toBeUndefined();
    const policy = record(values.networkPolicy, 'networkPolicy');
    expect(policy.egress).toEqual([]);
    expect(policy.s3Egress).toBe(false);
    expect(valueAt(values, ['vault', 'database', 'credsPath'])).toBe('database/creds/sms-orchestrator-shadow');
  });

  it('mounts every file and folder the environment points to (certificate secret or extra volume)', async () => {
    for (const service of SERVICES) {
      const values = await mergedValues(service);
      const mounts: string[] = [];
      const certificate = record(values.certificate, 'certificate');
      if (certificate.enabled === true) mounts.push(String(certificate.mountPath));
      for (const volume of list(values.extraVolumes)) mounts.push(String(record(volume, 'extraVolumes[]').mountPath));
      for (const [name, value] of Object.entries(await containerEnv(service))) {
        if (!value.startsWith('/etc/')) continue;
        expect(mounts.some((mount) => value === mount || value.startsWith(`${mount}/`)), `${service}: ${name}=${value} is not on a mounted volume`).toBe(true);
      }
    }
  });

  it('keeps secrets out of the values: every secret variable comes from Vault', async () => {
    for (const service of SERVICES) {
      const values = await mergedValues(service);
      const plain = Object.keys(record(values.env ?? {}, 'env'));
      for (const secret of ['VAULT_TOKEN', 'DATABASE_URL', 'ORCH_SERVICE_TOKEN', 'OPS_SERVICE_TOKEN', 'SMPP_CONNECTIONS', 'SECRETS_MASTER_KEY', 'JWT_PUBLIC_KEY']) {
        expect(plain, `${service} sets ${secret} in plain values`).not.toContain(secret);
      }
      for (const entry of list(record(values.vault, 'vault').secretEnv)) {
        expect(String(record(entry, 'secretEnv[]').path), service).toMatch(/^secret\/data\/platform\//);
      }
    }
  });

  it('lets in only the callers ARCHITECTURE.md allows, and each caller may reach what it calls', async () => {
    const edges: string[] = [];
    const portNumbers = new Map<string, number>();
    const egress = new Map<ServiceName, Set<string>>();
    for (const service of SERVICES) {
      const values = await mergedValues(service);
      portNumbers.set(`${service}/http`, Number(values.httpPort));
      for (const port of list(values.extraPorts)) {
        const { name, port: number } = record(port, 'extraPorts[]');
        portNumbers.set(`${service}/${String(name)}`, Number(number));
      }
      const policy = record(values.networkPolicy, 'networkPolicy');
      for (const rule of list(policy.ingress)) {
        const { port, from } = record(rule, 'ingress[]');
        for (const caller of list(from)) {
          const c = record(caller, 'from[]');
          edges.push(`${service}/${String(port)} ← ${typeof c.service === 'string' ? c.service : `${String(c.namespace)}/${String(c.app)}`}`);
        }
      }
      egress.set(service, new Set(list(policy.egress).map((e) => record(e, 'egress[]')).filter((e) => e.service !== undefined).map((e) => `${String(e.service)}:${String(e.port)}`)));
    }
    expect(edges.sort()).toEqual(ALLOWED_CALLERS);
    for (const edge of ALLOWED_CALLERS) {
      const [target = '', caller = ''] = edge.split(' ← ');
      expect(portNumbers.has(target), `${target} is a declared port`).toBe(true);
      if (caller === KONG) continue;
      const [callee = ''] = target.split('/');
      expect(egress.get(caller as ServiceName), `${caller} egress to ${target}`).toContain(`${callee}:${portNumbers.get(target)}`);
    }
    const callerEdges = new Set(ALLOWED_CALLERS.filter((e) => !e.endsWith(KONG)).map((e) => { const [t = '', c = ''] = e.split(' ← '); return `${c}→${t.split('/')[0]}:${portNumbers.get(t)}`; }));
    for (const [service, targets] of egress) for (const target of targets) expect(callerEdges.has(`${service}→${target}`), `${service} egress ${target} has a matching ingress rule`).toBe(true);
  });

  it('enforces STRICT mTLS and scrapes /metrics for every release', async () => {
    for (const service of SERVICES) expect(valueAt(await mergedValues(service), ['istio', 'peerAuthentication']), service).toBe('STRICT');
    const monitor = await readText(`${TEMPLATES}/servicemonitor.yaml`);
    expect(monitor).toContain('path: /metrics');
    expect(monitor).toContain('port: http');
  });
});
