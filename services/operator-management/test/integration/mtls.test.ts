import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, startOpsService, type OpsServiceFixture } from '../support/ops-service.js';
import { operatorBody, type OperatorJson } from '../support/requests.js';
import { createTestPki, type TestPki } from '../support/test-certificates.js';

let pki: TestPki;
let s: OpsServiceFixture;
let baseUrl: string;

// What a client sees when the server's TLS layer refuses its (missing or untrusted) certificate:
// a TLS alert (certificate required / unknown CA) or the connection reset right after the handshake.
const TLS_REFUSAL = /^(ERR_SSL_|ECONNRESET$|EPIPE$)/;

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** GET over HTTPS from a client presenting `client` (or no certificate), trusting the test CA for the server. */
function httpsGet(path: string, client: { cert: Buffer; key: Buffer } | null, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}${path}`,
      { method: 'GET', ca: pki.serverCa, headers, ...(client ? { cert: client.cert, key: client.key } : {}), agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  pki = await createTestPki(['smpp-gateway', 'routing-engine', 'intruder']);
  s = await startOpsService({
    label: 'ops_mtls',
    mtlsHost: '127.0.0.1',
    config: { mtls: { port: 0, ...pki.server, allowedClients: ['smpp-gateway', 'routing-engine'] } },
  });
  if (s.handle.mtls === null) throw new Error('mTLS listener not started');
  baseUrl = s.handle.mtls.url;
});

afterAll(async () => {
  await s.stop();
  await pki.cleanup();
});

describe('mTLS on the internal API', () => {
  it('refuses the API over plain HTTP with 403 OPS.MTLS_REQUIRED, while health stays reachable for probes', async () => {
    const api = await s.app.inject({ method: 'GET', url: '/v1/operators', headers: auth(s.tokens.admin) });
    expect([api.statusCode, api.json<{ code: string }>().code]).toEqual([403, 'OPS.MTLS_REQUIRED']);
    expect((await s.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });

  it('accepts a client whose certificate is signed by the client CA and whose CN is allowed', async () => {
    const answer = await httpsGet('/v1/operators', pki.client('routing-engine'));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ items: [] });
  });

  it('refuses a client without a certificate during the TLS handshake', async () => {
    const error = await httpsGet('/v1/operators', null).then(() => null, (e: unknown) => e as NodeJS.ErrnoException);
    expect(error?.code).toMatch(TLS_REFUSAL);
  });

  it('refuses a client whose certificate comes from another CA during the TLS handshake', async () => {
    const error = await httpsGet('/v1/operators', pki.client('foreign')).then(() => null, (e: unknown) => e as NodeJS.ErrnoException);
    expect(error?.code).toMatch(TLS_REFUSAL);
  });

  it('refuses a valid certificate whose CN is not in the allow-list with 403 OPS.CLIENT_CERTIFICATE_NOT_ALLOWED', async () => {
    const answer = await httpsGet('/v1/operators', pki.client('intruder'));
    expect([answer.status, (JSON.parse(answer.body) as { code: string }).code]).toEqual([403, 'OPS.CLIENT_CERTIFICATE_NOT_ALLOWED']);
  });

  it('takes the SMPP gateway’s identity from its certificate: it gets the credentials', async () => {
    const created = await httpsPostOperator();
    const answer = await httpsGet(`/v1/operators/${created.id}/connections/${created.connections[0]?.id}/credentials`, pki.client('smpp-gateway'));
    expect([answer.status, (JSON.parse(answer.body) as { password: string }).password]).toEqual([200, 'mtls-pw2']);
  });

  it('ignores a token’s service claim under mTLS: another service’s certificate with a gateway token gets no credentials', async () => {
    const created = await httpsPostOperator('AWCC', '01');
    const answer = await httpsGet(
      `/v1/operators/${created.id}/connections/${created.connections[0]?.id}/credentials`,
      pki.client('routing-engine'),
      auth(s.tokens.gateway),
    );
    expect([answer.status, (JSON.parse(answer.body) as { code: string }).code]).toEqual([403, 'OPS.CREDENTIALS_FORBIDDEN']);
  });
});

/** Creates an operator over mTLS with an allowed certificate and the admin token. */
function httpsPostOperator(code = 'MTN-AF', mnc = '40'): Promise<OperatorJson> {
  const payload = JSON.stringify(operatorBody('mtn', { code, mnc }, 'mtls-pw2'));
  const client = pki.client('routing-engine');
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}/v1/operators`,
      {
        method: 'POST',
        ca: pki.serverCa,
        cert: client.cert,
        key: client.key,
        agent: false,
        headers: { ...auth(s.tokens.admin), 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => (res.statusCode === 201 ? resolve(JSON.parse(body) as OperatorJson) : reject(new Error(`${res.statusCode}: ${body}`))));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
