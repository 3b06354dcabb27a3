import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigTransportError, createHttpConfigTransport } from '../../src/index.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A local HTTP server standing in for config-service; each test sets how it answers. */
describe('createHttpConfigTransport', () => {
  let server: Server;
  let baseUrl: string;
  let handler: Handler;
  let seen: Array<{ url: string; authorization: string | undefined }>;

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push({ url: request.url ?? '', authorization: request.headers.authorization });
      handler(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    seen = [];
    handler = (_request, response) => json(response, 200, resolution);
  });

  const resolution = {
    nodeId: 'n1',
    path: '/GLOBAL/region:kabul/tenant:acme',
    tenantId: 'tenant-acme',
    values: {
      'sms.max_parts_per_message': { value: 4, redacted: false, source: { kind: 'default' }, lockedAt: null, deprecated: false },
      'webhook.secret_ref': { value: null, redacted: true, source: { kind: 'default' }, lockedAt: null, deprecated: false },
    },
    cached: false,
  };
  const json = (response: ServerResponse, status: number, body: unknown, type = 'application/json'): void => {
    response.writeHead(status, { 'content-type': type });
    response.end(JSON.stringify(body));
  };

  it('asks GET /v1/resolve with the node reference encoded and answers the values', async () => {
    const fetchResolved = createHttpConfigTransport({ baseUrl: `${baseUrl}/`, timeoutMs: 1000 });

    const answer = await fetchResolved('tenant:tenant-acme');

    expect(seen.map((s) => s.url)).toEqual(['/v1/resolve?node=tenant%3Atenant-acme']);
    expect(answer).toEqual({
      path: '/GLOBAL/region:kabul/tenant:acme',
      tenantId: 'tenant-acme',
      values: { 'sms.max_parts_per_message': { value: 4 }, 'webhook.secret_ref': { value: null } },
    });
  });

  it('encodes a path reference so that its slashes stay in the query', async () => {
    await createHttpConfigTransport({ baseUrl, timeoutMs: 1000 })('/GLOBAL/region:kabul');

    expect(seen[0]?.url).toBe('/v1/resolve?node=%2FGLOBAL%2Fregion%3Akabul');
  });

  it('sends the bearer token, asking a token function again for every request', async () => {
    let n = 0;
    const fetchResolved = createHttpConfigTransport({ baseUrl, timeoutMs: 1000, token: () => `token-${(n += 1)}` });

    await fetchResolved('tenant:a');
    await fetchResolved('tenant:a');

    expect(seen.map((s) => s.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('sends no Authorization header without a token', async () => {
    await createHttpConfigTransport({ baseUrl, timeoutMs: 1000 })('tenant:a');

    expect(seen[0]?.authorization).toBeUndefined();
  });

  it('throws a ConfigTransportError with the status and problem code of an error answer', async () => {
    handler = (_request, response) =>
      json(response, 404, { type: 'https://errors.sms-platform.dev/config-node-not-found', code: 'CONFIG.NODE_NOT_FOUND', status: 404, detail: 'no configuration node tenant:x' }, 'application/problem+json');

    const failure = await createHttpConfigTransport({ baseUrl, timeoutMs: 1000 })('tenant:x').catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ConfigTransportError);
    expect([(failure as ConfigTransportError).status, (failure as ConfigTransportError).code]).toEqual([404, 'CONFIG.NODE_NOT_FOUND']);
  });

  it('throws when the answer does not arrive within the timeout', async () => {
    handler = () => undefined; // never answers
    const started = Date.now();

    const failure = await createHttpConfigTransport({ baseUrl, timeoutMs: 200 })('tenant:a').catch((error: unknown) => error);

    expect([(failure as ConfigTransportError).status, (failure as Error).message]).toEqual([null, 'config-service did not answer within 200 ms']);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it.each([
    ['not JSON', (response: ServerResponse) => response.end('<html>')],
    ['JSON without values', (response: ServerResponse) => json(response, 200, { path: '/GLOBAL' })],
    ['a value of the wrong type', (response: ServerResponse) => json(response, 200, { path: '/GLOBAL', tenantId: null, values: { k: { value: { nested: 1 } } } })],
  ])('refuses an answer that is %s', async (_what, answer) => {
    handler = (_request, response) => answer(response);

    await expect(createHttpConfigTransport({ baseUrl, timeoutMs: 1000 })('tenant:a')).rejects.toThrow(ConfigTransportError);
  });

  it('throws a ConfigTransportError without status when nothing listens', async () => {
    const idle = createServer();
    await new Promise<void>((resolve) => idle.listen(0, '127.0.0.1', resolve));
    const port = (idle.address() as AddressInfo).port;
    await new Promise((resolve) => idle.close(resolve));

    const failure = await createHttpConfigTransport({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 1000 })('tenant:a').catch((error: unknown) => error);

    expect([failure instanceof ConfigTransportError, (failure as ConfigTransportError).status]).toEqual([true, null]);
  });

  it('refuses a base URL that is not http(s), and a timeout that is not positive', () => {
    expect(() => createHttpConfigTransport({ baseUrl: 'ftp://host', timeoutMs: 1000 })).toThrow(RangeError);
    expect(() => createHttpConfigTransport({ baseUrl, timeoutMs: 0 })).toThrow(RangeError);
  });
});
