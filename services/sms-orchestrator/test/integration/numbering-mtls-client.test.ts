import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerCredentials } from '@grpc/grpc-js';
import { loadConfig } from '@sms/config';
import { createTestPki } from '@sms/testing';
import type { TestCertificate, TestCertificateAuthority, TestPki } from '@sms/testing';
import { GrpcSenderLeaseChecker } from '../../src/adapters/grpc/grpc-sender-lease.checker.js';
import { numberingChannel } from '../../src/adapters/grpc/numbering-channel.js';
import type { NumberingClientTls } from '../../src/adapters/grpc/numbering-channel.js';
import { createNumberingClient } from '../../src/adapters/grpc/numbering-contract.js';
import { staticServiceToken } from '../../src/adapters/service-token.js';
import { numberingTlsFrom, orchestratorEnv } from '../../src/orchestrator-env.js';
import { LEASED, startStubNumbering } from '../support/stub-numbering.js';
import type { StubNumbering } from '../support/stub-numbering.js';

const query = { tenantId: 'tenant-a', sender: { kind: 'msisdn' as const, value: '+93701234567' }, at: new Date() };

// The orchestrator's channel to numbering-service with mutual TLS, against a server that requires a
// client certificate from its CA (as numbering-service's NUMBERING_GRPC_TLS_* settings make it).
describe('the mutual TLS channel to numbering-service', () => {
  let pki: TestPki;
  let ca: TestCertificateAuthority;
  let clientCert: TestCertificate;
  let stub: StubNumbering;
  let renamed: StubNumbering;

  const serverCredentials = (server: TestCertificate) =>
    ServerCredentials.createSsl(ca.certPem, [{ cert_chain: server.certPem, private_key: server.keyPem }], true);

  beforeAll(async () => {
    pki = await createTestPki();
    ca = await pki.authority('Platform Test CA');
    clientCert = await ca.issueClient('sms-orchestrator');
    stub = await startStubNumbering(serverCredentials(await ca.issueServer('numbering-service')));
    renamed = await startStubNumbering(serverCredentials(await ca.issueServer('numbering-service', ['DNS:numbering.internal'])));
    stub.answer(() => LEASED);
    renamed.answer(() => LEASED);
  });
  afterAll(async () => {
    await stub.stop();
    await renamed.stop();
    await pki.cleanup();
  });

  async function check(address: string, tls: NumberingClientTls | null) {
    const channel = numberingChannel(tls);
    const client = createNumberingClient(address, channel.credentials, { timeoutMs: 5_000, channelOptions: channel.channelOptions });
    try {
      return await new GrpcSenderLeaseChecker({ client, tokens: staticServiceToken('svc-token'), timeoutMs: 5_000 }).check(query);
    } finally {
      client.close();
    }
  }

  const files = (): NumberingClientTls => ({ caFile: ca.certFile, certFile: clientCert.certFile, keyFile: clientCert.keyFile });

  it('checks leases over a channel with the client certificate', async () => {
    expect(await check(stub.address, files())).toEqual({ outcome: 'leased' });
  });

  it('is refused, and answers unavailable, over a plaintext channel', async () => {
    expect((await check(stub.address, null)).outcome).toBe('unavailable');
  });

  it('refuses a server whose certificate does not name the host, unless the server name is overridden', async () => {
    expect((await check(renamed.address, files())).outcome).toBe('unavailable');
    expect(await check(renamed.address, { ...files(), serverName: 'numbering.internal' })).toEqual({ outcome: 'leased' });
  });

  it('stops at start, naming the file, when a certificate file cannot be read', () => {
    expect(() => numberingChannel({ ...files(), certFile: '/nonexistent/orch.crt' })).toThrow('cannot read the numbering gRPC TLS certificate file at /nonexistent/orch.crt');
  });
});

describe('the numbering TLS settings of the environment', () => {
  it('reads the three files and the server name', () => {
    const env = loadConfig(orchestratorEnv, {
      ORCH_NUMBERING_TLS_CA_FILE: '/tls/ca.crt',
      ORCH_NUMBERING_TLS_CERT_FILE: '/tls/orch.crt',
      ORCH_NUMBERING_TLS_KEY_FILE: '/tls/orch.key',
      ORCH_NUMBERING_TLS_SERVER_NAME: 'numbering.internal',
    });

    expect(numberingTlsFrom(env)).toEqual({ caFile: '/tls/ca.crt', certFile: '/tls/orch.crt', keyFile: '/tls/orch.key', serverName: 'numbering.internal' });
  });

  it('is plaintext without them', () => {
    expect(numberingTlsFrom(loadConfig(orchestratorEnv, {}))).toBeNull();
  });

  it('refuses a partial set, naming the missing variables', () => {
    expect(() => loadConfig(orchestratorEnv, { ORCH_NUMBERING_TLS_CA_FILE: '/tls/ca.crt' })).toThrow(/ORCH_NUMBERING_TLS_CERT_FILE[\s\S]*ORCH_NUMBERING_TLS_KEY_FILE/);
  });
});
