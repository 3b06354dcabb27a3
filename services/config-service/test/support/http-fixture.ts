import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { authenticate, createDevSigner, createJwtVerifier, EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from '@sms/auth';
import { createHttpApp } from '@sms/http';
import type { HttpApp, IdempotencyRecords } from '@sms/http';
import { createLogger } from '@sms/logging';
import { registerConfigRoutes } from '../../src/adapters/http/config-routes.js';
import { createConfigMetrics } from '../../src/adapters/observability/config-metrics.js';
import type { ConfigMetrics } from '../../src/adapters/observability/config-metrics.js';
import type { ConfigUseCases } from '../../src/composition.js';
import type { Subject } from '../../src/domain/access.js';

/** The REST API over given use cases, with tokens signed by a key made for this fixture. */
export interface HttpFixture {
  readonly app: HttpApp;
  /** A bearer token for this subject (its id, roles, tenant and service become claims). */
  token(subject: Subject): Promise<string>;
  close(): Promise<void>;
}

export async function startHttpFixture(
  useCases: ConfigUseCases,
  options: { readonly registry?: Registry; readonly metrics?: ConfigMetrics; readonly idempotency?: IdempotencyRecords } = {},
): Promise<HttpFixture> {
  const keyDir = await mkdtemp(join(tmpdir(), 'cfg-auth-'));
  const signer = await createDevSigner({ keyDir });
  const verifier = createJwtVerifier({ issuer: EMBEDDED_ISSUER, audience: EMBEDDED_AUDIENCE, publicKeyPem: signer.publicKeyPem });
  const registry = options.registry ?? new Registry();
  const metrics = options.metrics ?? createConfigMetrics(registry);
  const app = await createHttpApp({ service: 'config-service', version: '0.0.0', logger: createLogger({ service: 'config-service', level: 'silent' }), registry });
  const idempotency = options.idempotency;
  registerConfigRoutes(app, () => ({ useCases, authenticate: authenticate(verifier), metrics, ...(idempotency ? { idempotency } : {}) }));
  await app.ready();
  return {
    app,
    token: (subject) =>
      signer.mint({
        subject: subject.id,
        roles: [...subject.roles],
        ...(subject.tenantId === null ? {} : { tenantId: subject.tenantId }),
        ...(subject.service === null ? {} : { serviceName: subject.service }),
      }),
    async close() {
      await app.close();
      await rm(keyDir, { recursive: true, force: true });
    },
  };
}
