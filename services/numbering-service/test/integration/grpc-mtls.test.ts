import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, status } from '@grpc/grpc-js';
import type { ChannelCredentials, Server } from '@grpc/grpc-js';
import { createLogger } from '@sms/logging';
import { createTestPki } from '@sms/testing';
import type { TestCertificate, TestCertificateAuthority, TestPki } from '@sms/testing';
import { grpcTlsFrom, loadNumberingEnv } from '../../src/adapters/config/numbering-env.js';
import { mutualTlsServerCredentials } from '../../src/adapters/grpc/grpc-tls.js';
import { createNumberingGrpcServer, listenGrpc, shutdownGrpc } from '../../src/adapters/grpc/numbering-grpc.server.js';
import { createNumberingClient, NumberingCallError } from '../../src/adapters/grpc/numbering-contract.js';
import { createPostgresFixture } from '../support/postgres-numbering.js';
import type { PostgresFixture } from '../support/postgres-numbering.js';
import { createPostgresWorld } from '../support/postgres-world.js';
import type { PostgresWorld } from '../support/postgres-world.js';
import { createTestAuth } from '../support/test-auth.js';
import type { TestAuth } from '../support/test-auth.js';

const TENANT = 'tenant-mtls';
const SENDER = '+93708880001';

describe('mutual TLS on the Numbering gRPC port', () => {
  let pki: TestPki;
  let ca: TestCertificateAuthority;
  let otherCa: TestCertificateAuthority;
  let orchestrator: TestCertificate;
  let fixture: PostgresFixture;
  let auth: TestAuth;
  let world: PostgresWorld;
  let server: Server;
  let address: string;
  let token: string;

  beforeAll(async () => {
    pki = await createTestPki();
    ca = await pki.authority('Numbering Test CA');
    otherCa = await pki.authority('Another CA');
    const serverCert = await ca.issueServer('numbering-service');
    orchestrator = await ca.issueClient('sms-orchestrator');
    fixture = await createPostgresFixture('numbering_mtls');
    auth = await createTestAuth();
    world = await createPostgresWorld(fixture, { tenants: [TENANT] });
    await world.addNumbers([SENDER]);
    token = await auth.service('sms-orchestrator');
    server = createNumberingGrpcServer({
      useCases: () => world.useCases,
      verifier: auth.verifier,
      logger: createLogger({ service: 'numbering-mtls-test', level: 'silent' }),
      allowedClients: new Set(['sms-orchestrator']),
    });
    const port = await listenGrpc(
      server,
      '127.0.0.1',
      0,
      mutualTlsServerCredentials({ certFile: serverCert.certFile, keyFile: serverCert.keyFile, caFile: ca.certFile }),
    );
    address = `127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await shutdownGrpc(server, 2_000);
    await auth.cleanup();
    await fixture.close();
    await pki.cleanup();
  });

  /** One ValidateLease over a fresh channel with these credentials: the answer, or the status it failed with. */
  async function validateWith(channel: ChannelCredentials): Promise<{ valid: boolean } | { refused: string }> {
    const client = createNumberingClient(address, channel, { token, timeoutMs: 5_000 });
    try {
      const answer = await client.validateLease({ sender: SENDER, tenantId: TENANT, use: 'transactional' });
      return { valid: answer.valid };
    } catch (error) {
      if (error instanceof NumberingCallError) return { refused: status[error.grpcCode] };
      throw error;
    } finally {
      client.close();
    }
  }

  it('serves a client whose certificate the CA issued and the allowlist names', async () => {
    expect(await validateWith(credentials.createSsl(ca.certPem, orchestrator.keyPem, orchestrator.certPem))).toEqual({ valid: false });
  });

  it('refuses a client without a certificate at the handshake', async () => {
    expect(await validateWith(credentials.createSsl(ca.certPem))).toEqual({ refused: 'UNAVAILABLE' });
  });

  it('refuses a client whose certificate another CA issued at the handshake', async () => {
    const stranger = await otherCa.issueClient('sms-orchestrator');

    expect(await validateWith(credentials.createSsl(ca.certPem, stranger.keyPem, stranger.certPem))).toEqual({ refused: 'UNAVAILABLE' });
  });

  it('refuses a client of the CA that the allowlist does not name', async () => {
    const intruder = await ca.issueClient('billing-service');

    expect(await validateWith(credentials.createSsl(ca.certPem, intruder.keyPem, intruder.certPem))).toEqual({ refused: 'PERMISSION_DENIED' });
  });

  it('refuses a plaintext client', async () => {
    expect(await validateWith(credentials.createInsecure())).toEqual({ refused: 'UNAVAILABLE' });
  });

  it('stops at start, naming the file, when a certificate file cannot be read', () => {
    expect(() => mutualTlsServerCredentials({ certFile: '/nonexistent/server.crt', keyFile: orchestrator.keyFile, caFile: ca.certFile })).toThrow(
      'cannot read the gRPC TLS certificate file at /nonexistent/server.crt',
    );
  });
});

describe('the gRPC TLS settings of the environment', () => {
  const files = { NUMBERING_GRPC_TLS_CERT_FILE: '/tls/server.crt', NUMBERING_GRPC_TLS_KEY_FILE: '/tls/server.key', NUMBERING_GRPC_TLS_CA_FILE: '/tls/ca.crt' };

  it('reads the files and the comma-separated allowlist of client names', () => {
    const tls = grpcTlsFrom(loadNumberingEnv({ ...files, NUMBERING_GRPC_TLS_ALLOWED_CLIENTS: 'sms-orchestrator, customer-portal-bff' }));

    expect(tls).toEqual({
      files: { certFile: '/tls/server.crt', keyFile: '/tls/server.key', caFile: '/tls/ca.crt' },
      allowedClients: new Set(['sms-orchestrator', 'customer-portal-bff']),
    });
  });

  it('is plaintext without the certificate files', () => {
    expect(grpcTlsFrom(loadNumberingEnv({}))).toBeNull();
  });

  it('refuses an allowlist with an empty name, naming the variable', () => {
    expect(() => loadNumberingEnv({ ...files, NUMBERING_GRPC_TLS_ALLOWED_CLIENTS: 'sms-orchestrator,,' })).toThrow(/NUMBERING_GRPC_TLS_ALLOWED_CLIENTS/);
  });
});
