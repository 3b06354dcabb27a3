import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Verifier } from '@pact-foundation/pact';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, createDevSigner, createJwtVerifier, EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from '@sms/auth';
import type { DevSigner } from '@sms/auth';
import { createHttpApp, startHttpServer } from '@sms/http';
import type { HttpApp } from '@sms/http';
import { createLogger } from '@sms/logging';
import { registerConfigRoutes } from '../../src/adapters/http/config-routes.js';
import { createConfigMetrics } from '../../src/adapters/observability/config-metrics.js';
import { buildUseCases } from '../../src/composition.js';
import type { ConfigUseCases } from '../../src/composition.js';
import { createConfigDatabase, postgresDeps } from '../support/config-database.js';
import type { ConfigDatabaseFixture } from '../support/config-database.js';
import { actors } from '../support/tree.js';

// Provider side of @sms/config-client's contract: replays the pact its consumer test writes and
// commits (packages/config-client/test/contract/config-service.pact.test.ts) against the real
// config-service HTTP routes listening on a port, on a fresh PostgreSQL database, with each
// provider state created through the use cases.
const PACT_FILE = fileURLToPath(new URL('../../../../packages/config-client/pacts/config-client-config-service.json', import.meta.url));

const PARTS = 'sms.max_parts_per_message';
const RATE = 'sms.submit_rate_per_second';
const ACME = { tenantId: 'tenant-acme', name: 'acme', path: '/GLOBAL/tenant:acme' } as const;
const admin = actors.platformAdmin;

let db: ConfigDatabaseFixture;
let useCases: ConfigUseCases;
let app: HttpApp;
let baseUrl: string;
const keyDirs: string[] = [];
/** The orchestrator's token config-service trusts, the same signed by a key it does not know, and one of a user of another tenant; the proxy sends one of them. */
let trustedToken: string;
let untrustedToken: string;
let otherTenantToken: string;
let callerToken: () => string;

/** A signer with a key pair of its own, and the orchestrator's service token signed by it. */
async function signerIn(keyDir: string): Promise<{ signer: DevSigner; orchestratorToken: string }> {
  const signer = await createDevSigner({ keyDir });
  const { id, roles, service } = actors.orchestrator;
  return { signer, orchestratorToken: await signer.mint({ subject: id, roles: [...roles], serviceName: service, ttlSec: 600 }) };
}

function check<E extends { message: string }>(result: { ok: true } | { ok: false; error: E }, doing: string): void {
  if (!result.ok) throw new Error(`provider state: cannot ${doing}: ${result.error.message}`);
}

/** The tenant's node under /GLOBAL, created unless an earlier state made it. */
async function acmeNode(): Promise<void> {
  const existing = await useCases.getNode.execute({ subject: admin, node: ACME.path });
  if (existing.ok) return;
  const created = await useCases.createNode.execute({ subject: admin, parent: '/GLOBAL', level: 'tenant', name: ACME.name, tenantId: ACME.tenantId, reason: 'pact provider state' });
  check(created, `create ${ACME.path}`);
}

beforeAll(async () => {
  db = await createConfigDatabase('cfg_pact');
  useCases = buildUseCases(await postgresDeps(db));
  keyDirs.push(await mkdtemp(join(tmpdir(), 'cfg-pact-trusted-')), await mkdtemp(join(tmpdir(), 'cfg-pact-untrusted-')));
  const trusted = await signerIn(keyDirs[0] as string);
  trustedToken = trusted.orchestratorToken;
  untrustedToken = (await signerIn(keyDirs[1] as string)).orchestratorToken;
  const { id, roles, tenantId } = actors.globexAdmin;
  otherTenantToken = await trusted.signer.mint({ subject: id, roles: [...roles], tenantId, ttlSec: 600 });
  callerToken = () => trustedToken;
  const verifier = createJwtVerifier({ issuer: EMBEDDED_ISSUER, audience: EMBEDDED_AUDIENCE, publicKeyPem: trusted.signer.publicKeyPem });
  const registry = new Registry();
  app = await createHttpApp({ service: 'config-service', version: '0.0.0', logger: createLogger({ service: 'config-service', level: 'silent' }), registry });
  const runtime = { useCases, authenticate: authenticate(verifier), metrics: createConfigMetrics(registry) };
  registerConfigRoutes(app, () => runtime);
  baseUrl = (await startHttpServer(app, { host: '127.0.0.1', port: 0 })).url;
});

afterAll(async () => {
  await app.close();
  await db.cleanup();
  await Promise.all(keyDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the config-service contract (provider: config-service, consumer: config-client)', () => {
  it('satisfies every interaction of the config-client pact', async () => {
    expect(existsSync(PACT_FILE)).toBe(true);

    const output = await new Verifier({
      provider: 'config-service',
      providerBaseUrl: baseUrl,
      pactUrls: [PACT_FILE],
      logLevel: 'error',
      // Every interaction starts as a trusted caller; only the state that says otherwise changes it.
      beforeEach: () => {
        callerToken = () => trustedToken;
        return Promise.resolve();
      },
      // The pact records a placeholder token; the proxy swaps in a minted one.
      requestFilter: (request: IncomingMessage, _response: ServerResponse, next: () => void) => {
        request.headers.authorization = `Bearer ${callerToken()}`;
        next();
      },
      stateHandlers: {
        [`tenant ${ACME.tenantId} has node ${ACME.path}`]: async () => {
          await acmeNode();
          return undefined;
        },
        [`tenant ${ACME.tenantId} has node ${ACME.path} with ${PARTS} set to 3 and ${RATE} not set`]: async () => {
          await acmeNode();
          check(await useCases.setValue.execute({ subject: admin, node: ACME.path, key: PARTS, value: 3, reason: 'pact provider state' }), `set ${PARTS}`);
          check(await useCases.clearValue.execute({ subject: admin, node: ACME.path, key: RATE, reason: 'pact provider state' }), `clear ${RATE}`);
          return undefined;
        },
        'no node belongs to tenant tenant-unknown': async () => {
          const found = await useCases.getNode.execute({ subject: admin, node: 'tenant:tenant-unknown' });
          if (found.ok) throw new Error('provider state: a node of tenant-unknown exists');
          return undefined;
        },
        [`the caller is a user of tenant ${actors.globexAdmin.tenantId}`]: () => {
          callerToken = () => otherTenantToken;
          return Promise.resolve(undefined);
        },
        'config-service does not trust the token of the caller': () => {
          callerToken = () => untrustedToken;
          return Promise.resolve(undefined);
        },
      },
    }).verifyProvider();
    // verifyProvider rejects on any mismatch; this only shows that it ran.
    expect(typeof output).toBe('string');
  });
});
