import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessBus } from '@sms/bus';
import type { Bus } from '@sms/bus';
import { systemClock, uuidv7Generator } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import type { ServiceContext, StartedService } from '@sms/runtime';
import { freePort, uniqueName } from '@sms/testing';
import { smppGatewayService } from '../../src/service.js';
import { createGatewayDatabase } from '../support/gateway-fixture.js';
import type { GatewayDatabase } from '../support/gateway-fixture.js';

// The service started with OPS_BASE_URL and OPS_SERVICE_TOKEN: the bind password comes from a
// local server answering like operator-management's credentials route (its docs/api.md), not from
// SMPP_CONNECTIONS, whose password here is one the simulator would not accept from the gateway.
const TOKEN = uniqueName('svc_token');
const password = uniqueName('p').slice(-9);
let db: GatewayDatabase;
let bus: Bus;
let server: Server;
let started: StartedService;
const credentialRequests: Array<{ url: string | undefined; authorization: string | undefined }> = [];
const logLines: string[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  db = await createGatewayDatabase('smpp_service_creds');
  bus = createInProcessBus();
  server = createServer((request, response) => {
    credentialRequests.push({ url: request.url, authorization: request.headers.authorization });
    const allowed = request.headers.authorization === `Bearer ${TOKEN}` && request.url === '/v1/operators/salaam/connections/salaam-1/credentials';
    response.writeHead(allowed ? 200 : 403, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(allowed ? { operatorId: 'salaam', connectionId: 'salaam-1', systemId: 'platform', password } : { status: 403 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = await freePort();
  process.env.SMPP_SIMULATE = 'true';
  // The simulator takes its credentials from here; the gateway must take them from the server.
  process.env.SMPP_CONNECTIONS = JSON.stringify([{ connectionId: 'salaam-1', operatorId: 'salaam', host: '127.0.0.1', port, systemId: 'platform', password }]);
  process.env.OPS_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.OPS_SERVICE_TOKEN = TOKEN;
  const logger = createLogger({ service: 'smpp-gateway-test', level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  const context = {
    app: { register: () => undefined },
    database: db.database,
    roles: db.roles,
    infra: { bus },
    logger,
    metrics: new Registry(),
    clock: systemClock,
    ids: uuidv7Generator,
  } as unknown as ServiceContext;
  started = await smppGatewayService.start(context);
});

afterAll(async () => {
  for (const closer of started.closers ?? []) await closer.close();
  await bus.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db.cleanup();
  process.env = saved;
});

describe('smpp-gateway with operator-management as the credentials source', () => {
  it('binds with the credentials read from operator-management with the service token', async () => {
    const check = started.readiness?.[0];
    const deadline = Date.now() + 5_000;
    let ready = false;
    while (!ready && Date.now() < deadline) {
      ready = (await check?.check().then(() => true, () => false)) ?? false;
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect([ready, credentialRequests[0]]).toEqual([true, { url: '/v1/operators/salaam/connections/salaam-1/credentials', authorization: `Bearer ${TOKEN}` }]);
  });

  it('never writes the password to the logs', () => {
    expect([logLines.length > 0, logLines.filter((line) => line.includes(password))]).toEqual([true, []]);
  });
});
