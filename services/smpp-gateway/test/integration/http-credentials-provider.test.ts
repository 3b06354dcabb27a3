import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { staticServiceToken } from '@sms/auth';
import { ManualClock } from '@sms/kernel';
import { HttpCredentialsProvider } from '../../src/adapters/operator-management/http-credentials.provider.js';

const TOKEN = 'service-token-of-smpp-gateway';
const PASSWORD = 's3cr3t!';

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** Answers like operator-management's credentials route (docs/api.md): 200 with no-store, 403 without the service identity, 404 unknown. */
let server: Server;
let baseUrl: string;
let requests: IncomingMessage[] = [];
let answer: (request: IncomingMessage) => Answer;

function operatorManagementAnswer(request: IncomingMessage): Answer {
  if (request.headers.authorization !== `Bearer ${TOKEN}`) {
    return { status: 403, body: { type: 'about:blank', title: 'Forbidden', status: 403, code: 'OPS.CREDENTIALS_FORBIDDEN' } };
  }
  if (request.url === '/v1/operators/op-roshan/connections/roshan-1/credentials') {
    return { status: 200, body: { operatorId: 'op-roshan', connectionId: 'roshan-1', systemId: 'ROSH1', password: PASSWORD } };
  }
  return { status: 404, body: { type: 'about:blank', title: 'Not Found', status: 404, code: 'OPS.CONNECTION_NOT_FOUND' } };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request);
    const { status, body } = answer(request);
    response.writeHead(status, { 'content-type': status === 200 ? 'application/json' : 'application/problem+json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  requests = [];
  answer = operatorManagementAnswer;
});

const connections = new Map([
  ['roshan-1', { operatorId: 'op-roshan', systemType: 'SMS' }],
  ['awcc-1', { operatorId: 'op-awcc', systemType: '' }],
]);

function provider(options: { token?: string; clock?: ManualClock } = {}) {
  return new HttpCredentialsProvider({ baseUrl, tokens: staticServiceToken(options.token ?? TOKEN), connections, clock: options.clock ?? new ManualClock(), cacheTtlMs: 30_000 });
}

describe('credentials from operator-management over HTTP', () => {
  it('reads the bind credentials of a connection with the service token', async () => {
    const credentials = await provider().credentialsFor('roshan-1');
    expect([credentials, requests[0]?.headers.authorization]).toEqual([{ systemId: 'ROSH1', password: PASSWORD, systemType: 'SMS' }, `Bearer ${TOKEN}`]);
  });

  it('reuses the credentials within the cache time', async () => {
    const clock = new ManualClock();
    const credentialsProvider = provider({ clock });
    await credentialsProvider.credentialsFor('roshan-1');
    clock.advance(29_999);
    await credentialsProvider.credentialsFor('roshan-1');
    expect(requests).toHaveLength(1);
  });

  it('asks again once the cache time is over, so a rotated password is picked up', async () => {
    const clock = new ManualClock();
    const credentialsProvider = provider({ clock });
    await credentialsProvider.credentialsFor('roshan-1');
    clock.advance(30_000);
    answer = () => ({ status: 200, body: { operatorId: 'op-roshan', connectionId: 'roshan-1', systemId: 'ROSH1', password: 'rotated' } });
    const credentials = await credentialsProvider.credentialsFor('roshan-1');
    expect([requests.length, credentials?.password]).toEqual([2, 'rotated']);
  });

  it('answers null for a connection operator-management does not know', async () => {
    expect(await provider().credentialsFor('awcc-1')).toBeNull();
  });

  it('answers null without a request for a connection that is not configured here', async () => {
    const credentials = await provider().credentialsFor('nowhere-1');
    expect([credentials, requests.length]).toEqual([null, 0]);
  });

  it('throws, so the bind is retried, when operator-management refuses the caller', async () => {
    await expect(provider({ token: 'not-a-service' }).credentialsFor('roshan-1')).rejects.toThrow('operator-management answered 403');
  });

  it('throws when operator-management cannot be reached', async () => {
    const unreachable = new HttpCredentialsProvider({ baseUrl: 'http://127.0.0.1:1', tokens: staticServiceToken(TOKEN), connections, clock: new ManualClock() });
    await expect(unreachable.credentialsFor('roshan-1')).rejects.toThrow();
  });

  it('throws without echoing the body when the answer lacks the password', async () => {
    answer = () => ({ status: 200, body: { operatorId: 'op-roshan', connectionId: 'roshan-1', systemId: 'ROSH1', secret: PASSWORD } });
    const failure = await provider().credentialsFor('roshan-1').catch((error: unknown) => error as Error);
    expect([failure instanceof Error, (failure as Error).message.includes(PASSWORD)]).toEqual([true, false]);
  });
});
