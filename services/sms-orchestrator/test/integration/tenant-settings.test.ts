import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedRouter, ScriptedSenderLeaseChecker } from '../../src/application/testing/index.js';
import { call, validSend } from '../support/http.js';
import { startOrchestratorFixture } from '../support/orchestrator-fixture.js';
import type { OrchestratorFixture } from '../support/orchestrator-fixture.js';

// A stand-in for config-service's resolution endpoint (GET /v1/resolve?node=tenant:<id>), answering
// as @sms/config-client's HTTP transport expects.
const VALUES: Record<string, Record<string, number>> = {
  'tenant-one-part': { 'sms.max_parts_per_message': 1, 'sms.submit_rate_per_second': 100 },
  'tenant-slow': { 'sms.max_parts_per_message': 6, 'sms.submit_rate_per_second': 1 },
};
let server: Server;
let baseUrl: string;
const requests: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
let fixture: OrchestratorFixture;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push({ url: request.url ?? '', headers: request.headers });
    const node = new URL(request.url ?? '/', 'http://x').searchParams.get('node') ?? '';
    const tenantId = node.replace(/^tenant:/, '');
    const values = Object.fromEntries(Object.entries(VALUES[tenantId] ?? {}).map(([key, value]) => [key, { value }]));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ path: `/GLOBAL/tenant:${tenantId}`, tenantId, values }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fixture = await startOrchestratorFixture({
    label: 'orch_tenant_settings',
    env: { CONFIG_SERVICE_URL: baseUrl, ORCH_MAX_PARTS_PER_MESSAGE: '3', ORCH_SUBMIT_BURST: '2' },
    overrides: { senderLeases: new ScriptedSenderLeaseChecker(), router: new ScriptedRouter() },
  });
});
afterAll(async () => {
  await fixture.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function send(tenantId: string, body: string) {
  return call(fixture.app, 'POST', '/v1/sms/send', await fixture.headersFor(tenantId), validSend({ body }));
}

describe('per-tenant submit settings from config-service', () => {
  it("refuses a body needing more parts than the tenant's maximum from config-service", async () => {
    const response = await send('tenant-one-part', 'a'.repeat(200));

    expect(response.statusCode).toBe(400);
    expect((response.body.errors as Array<{ code: string; message: string }>)[0]).toMatchObject({ code: 'ORCH.TOO_MANY_PARTS' });
  });

  it('uses the environment default for a tenant config-service has no value for', async () => {
    const fits = await send('tenant-unknown', 'a'.repeat(153 * 3));
    const tooLong = await send('tenant-unknown', 'a'.repeat(153 * 3 + 1));

    expect(fits.statusCode).toBe(202);
    expect(tooLong.statusCode).toBe(400);
  });

  it("rate-limits with the tenant's submit rate from config-service", async () => {
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await send('tenant-slow', 'hello'));

    expect(answers.map((a) => a.statusCode)).toEqual([202, 202, 429]);
    expect(answers[2]?.headers['retry-after']).toBe('1');
  });

  it("asks config-service with the orchestrator's service token", () => {
    const [, payload] = String(requests[0]?.headers.authorization ?? '').replace('Bearer ', '').split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as { svc?: string; roles?: string[] };

    expect(requests[0]?.url).toMatch(/^\/v1\/resolve\?node=tenant%3A/);
    expect(claims).toMatchObject({ svc: 'sms-orchestrator', roles: ['service'] });
  });
});
