import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@sms/kernel';
import { HttpCredentialsProvider } from '../../src/adapters/operator-management/http-credentials.provider.js';

// operator-management's mTLS listener as its docs/api.md describes it: the client certificate's CN
// is the caller's service identity, and only smpp-gateway may read credentials. Certificates are
// made by openssl for this run only.
let dir: string;
let server: Server;
let baseUrl: string;
let pem: { ca: Buffer; gatewayCert: Buffer; gatewayKey: Buffer; otherCert: Buffer; otherKey: Buffer };

const openssl = (args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
};

async function leaf(name: string, cn: string, extensions: string): Promise<void> {
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
  await writeFile(join(dir, `${name}.ext`), extensions);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', '-extfile', `${name}.ext`]);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smpp-mtls-'));
  openssl([
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt',
    '-days', '1', '-subj', '/CN=test-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await leaf('server', 'operator-management', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  await leaf('gateway', 'smpp-gateway', 'extendedKeyUsage=clientAuth\n');
  await leaf('other', 'billing', 'extendedKeyUsage=clientAuth\n');
  const read = (name: string) => readFile(join(dir, name));
  pem = { ca: await read('ca.crt'), gatewayCert: await read('gateway.crt'), gatewayKey: await read('gateway.key'), otherCert: await read('other.crt'), otherKey: await read('other.key') };

  server = createServer({ cert: await read('server.crt'), key: await read('server.key'), ca: pem.ca, requestCert: true, rejectUnauthorized: true }, (request, response) => {
    const caller = (request.socket as TLSSocket).getPeerCertificate().subject?.CN;
    const allowed = caller === 'smpp-gateway';
    response.writeHead(allowed ? 200 : 403, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(allowed ? { operatorId: 'op-mtn', connectionId: 'mtn-1', systemId: 'MTN1', password: 'mtn-pw' } : { code: 'OPS.CREDENTIALS_FORBIDDEN' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

const connections = new Map([['mtn-1', { operatorId: 'op-mtn', systemType: '' }]]);

describe('credentials from operator-management over mTLS', () => {
  it('reads the credentials with the gateway client certificate as its identity', async () => {
    const provider = new HttpCredentialsProvider({ baseUrl, tls: { cert: pem.gatewayCert, key: pem.gatewayKey, ca: pem.ca }, connections, clock: new ManualClock() });
    expect(await provider.credentialsFor('mtn-1')).toEqual({ systemId: 'MTN1', password: 'mtn-pw', systemType: '' });
  });

  it('throws when the certificate names another service', async () => {
    const provider = new HttpCredentialsProvider({ baseUrl, tls: { cert: pem.otherCert, key: pem.otherKey, ca: pem.ca }, connections, clock: new ManualClock() });
    await expect(provider.credentialsFor('mtn-1')).rejects.toThrow('operator-management answered 403');
  });
});
