import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createVaultSecretStore } from '@sms/secrets';
import { startVaultStub, type VaultStub } from '../../../../packages/secrets/test/support/vault-stub.js';
import { auth, startOpsService, type OpsServiceFixture } from '../support/ops-service.js';
import { createOperatorOver, healthReport, operatorBody, type OperatorJson } from '../support/requests.js';

let vault: VaultStub;
let s: OpsServiceFixture;
let roshan: OperatorJson;

beforeAll(async () => {
  vault = await startVaultStub();
  s = await startOpsService({
    label: 'ops_vault_failure',
    secretStore: createVaultSecretStore({ address: vault.address, token: vault.token, basePath: 'ops', timeoutMs: 1000 }),
  });
  roshan = await createOperatorOver(s, operatorBody('roshan', {}, 'rosh-pw1'));
  vault.seal();
});

afterEach(() => {
  vault.seal();
});

afterAll(async () => {
  await s.stop();
  await vault.close();
});

const admin = () => auth(s.tokens.admin);

async function counts(): Promise<{ operators: number; connections: number; outbox: number }> {
  const rows = await sql<{ operators: number; connections: number; outbox: number }>`
    SELECT (SELECT count(*)::int FROM ops.operators) AS operators,
           (SELECT count(*)::int FROM ops.operator_connections) AS connections,
           (SELECT count(*)::int FROM ops.outbox) AS outbox`.execute(s.db.database.db);
  return rows.rows[0] ?? { operators: -1, connections: -1, outbox: -1 };
}

describe('vault-failure (the secret store is sealed)', () => {
  it('writes secrets under the Vault policy’s path, secret/data/ops/operators/…', () => {
    const write = vault.requests.find((r) => r.method === 'POST' || r.method === 'PUT');
    expect(write?.url).toBe(`/v1/secret/data/ops/operators/${roshan.id}/connections/${roshan.connections[0]?.id}`);
  });

  it('still answers operator reads, lists, routing rules and health', async () => {
    const urls = ['/v1/operators', `/v1/operators/${roshan.id}`, '/v1/routing-rules', '/v1/operator-health', `/v1/operators/${roshan.id}/health`];
    const statuses = await Promise.all(urls.map(async (url) => (await s.app.inject({ method: 'GET', url, headers: admin() })).statusCode));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
  });

  it('still ingests health reports', async () => {
    const response = await s.app.inject({
      method: 'POST',
      url: '/v1/health-reports',
      headers: auth(s.tokens.gateway),
      payload: healthReport(roshan.id, roshan.connections[0]?.id ?? '', new Date()),
    });
    expect(response.statusCode).toBe(200);
  });

  it('answers credential reads with 503 OPS.SECRET_STORE_UNAVAILABLE and Retry-After', async () => {
    const response = await s.app.inject({
      method: 'GET',
      url: `/v1/operators/${roshan.id}/connections/${roshan.connections[0]?.id}/credentials`,
      headers: auth(s.tokens.gateway),
    });
    expect([response.statusCode, response.json<{ code: string }>().code, response.headers['retry-after']]).toEqual([
      503,
      'OPS.SECRET_STORE_UNAVAILABLE',
      '5',
    ]);
  });

  it('refuses creating an operator with a password and leaves no half record: no row, no connection, no event', async () => {
    const before = await counts();
    const response = await s.app.inject({ method: 'POST', url: '/v1/operators', headers: admin(), payload: operatorBody('awcc', {}, 'awcc-pw') });
    expect([response.statusCode, response.json<{ code: string }>().code]).toEqual([503, 'OPS.SECRET_STORE_UNAVAILABLE']);
    expect(await counts()).toEqual(before);
  });

  it('refuses adding a connection with a password and leaves the operator as it was', async () => {
    const before = await counts();
    const response = await s.app.inject({
      method: 'POST',
      url: `/v1/operators/${roshan.id}/connections`,
      headers: admin(),
      payload: { host: 'smsc2.roshan.example', port: 2775, systemId: 'ROSH2', bindMode: 'transmitter', password: 'pw2' },
    });
    expect(response.statusCode).toBe(503);
    expect(await counts()).toEqual(before);
    const read = await s.app.inject({ method: 'GET', url: `/v1/operators/${roshan.id}`, headers: admin() });
    expect(read.json()).toMatchObject({ version: roshan.version, connections: [{ id: roshan.connections[0]?.id }] });
  });

  it('refuses a password rotation and keeps the recorded version', async () => {
    const response = await s.app.inject({
      method: 'PUT',
      url: `/v1/operators/${roshan.id}/connections/${roshan.connections[0]?.id}/password`,
      headers: admin(),
      payload: { password: 'rosh-pw2' },
    });
    expect(response.statusCode).toBe(503);
    const read = await s.app.inject({ method: 'GET', url: `/v1/operators/${roshan.id}`, headers: admin() });
    expect(read.json()).toMatchObject({ version: roshan.version, connections: [{ authentication: { version: 1 } }] });
  });

  it('still accepts writes that do not need the secret store', async () => {
    const response = await s.app.inject({ method: 'POST', url: '/v1/operators', headers: admin(), payload: operatorBody('mtn') });
    expect(response.statusCode).toBe(201);
  });

  it('reports the secret store as degraded, not down, in readiness, and 0 in ops_secret_store_up', async () => {
    const ready = await s.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'degraded', checks: expect.arrayContaining([expect.objectContaining({ name: 'secret-store', status: 'degraded' })]) as unknown });
    const metrics = await s.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^ops_secret_store_up\{service="operator-management"\} 0$/m);
  });

  it('hands out credentials again once the store is back', async () => {
    vault.unseal();
    const response = await s.app.inject({
      method: 'GET',
      url: `/v1/operators/${roshan.id}/connections/${roshan.connections[0]?.id}/credentials`,
      headers: auth(s.tokens.gateway),
    });
    expect([response.statusCode, response.json<{ password: string }>().password]).toEqual([200, 'rosh-pw1']);
  });
});

describe('the Vault policy (deploy/vault/operator-management.hcl)', () => {
  it('covers every request the service made to Vault, and nothing outside secret/ops/operators/*', async () => {
    const policy = await readFile(new URL('../../deploy/vault/operator-management.hcl', import.meta.url), 'utf8');
    const paths = [...policy.matchAll(/^path "([^"]+)"/gm)].map((m) => m[1] ?? '');
    expect(paths).toEqual(['secret/data/ops/operators/*', 'secret/metadata/ops/operators/*']);
    const allowed = (url: string) => paths.some((p) => url.startsWith(`/v1/${p.slice(0, -1)}`));
    const used = vault.requests.map((r) => r.url.split('?')[0] ?? '').filter((url) => url !== '/v1/sys/health');
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((url) => !allowed(url))).toEqual([]);
  });
});
