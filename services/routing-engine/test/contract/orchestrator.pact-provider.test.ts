import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Verifier } from '@pact-foundation/pact';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevSigner, createJwtVerifier, EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from '@sms/auth';
import { createHttpApp, startHttpServer } from '@sms/http';
import type { HttpApp } from '@sms/http';
import { ManualClock } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { ResolveRoute, RoutingProjection } from '../../src/index.js';
import { registerRouteApi } from '../../src/adapters/http/route-api.routes.js';
import { RoutingMetrics } from '../../src/adapters/observability/routing-metrics.js';
import { InMemoryRoutingStateRepository } from '../../src/application/testing/in-memory-routing-state.repository.js';
import { health, operator, ROSHAN, rule, ruleSet, TUESDAY_10_KABUL } from '../support/fixtures.js';

// Provider side of the orchestrator's contract: replays the pact its consumer test writes
// (services/sms-orchestrator/test/contract/routing-engine.pact.test.ts) against this service's real
// HTTP route, with each provider state set up in an in-memory projection.
const PACT_FILE = fileURLToPath(new URL('../../../sms-orchestrator/pacts/sms-orchestrator-routing-engine.json', import.meta.url));

let app: HttpApp;
let baseUrl: string;
let keyDir: string;
let serviceToken: string;
let projection = new RoutingProjection(new InMemoryRoutingStateRepository());
const clock = new ManualClock(TUESDAY_10_KABUL);

interface PactFile {
  interactions: { description: string; response: { headers?: Record<string, string[]> } }[];
}

/**
 * Works around a defect of the consumer test as it stands: pact-js adds `Content-Type:
 * application/json` for `jsonBody`, and the test also sets `content-type: application/problem+json`
 * in lower case, so the pact expects two different values of one (case-insensitive) header, which
 * no server can send. Where a response names the header twice with different values, the explicit
 * lower-case one (the consumer author's intent) is kept. Returns the path verified and the
 * interactions changed; once the consumer test is fixed, nothing is changed and the file is used as is.
 */
async function pactToVerify(dir: string): Promise<{ path: string; normalised: string[] }> {
  const pact = JSON.parse(await readFile(PACT_FILE, 'utf8')) as PactFile;
  const normalised: string[] = [];
  for (const interaction of pact.interactions) {
    const headers = interaction.response.headers;
    const generated = headers?.['Content-Type'];
    const explicit = headers?.['content-type'];
    if (headers && generated && explicit && generated.join() !== explicit.join()) {
      delete headers['Content-Type'];
      normalised.push(interaction.description);
    }
  }
  if (normalised.length === 0) return { path: PACT_FILE, normalised };
  const path = join(dir, 'sms-orchestrator-routing-engine.json');
  await writeFile(path, JSON.stringify(pact));
  return { path, normalised };
}

/** A fresh projection holding what a provider state says. */
async function freshState(setup: (p: RoutingProjection) => Promise<unknown>): Promise<undefined> {
  projection = new RoutingProjection(new InMemoryRoutingStateRepository());
  await setup(projection);
  return undefined;
}

beforeAll(async () => {
  keyDir = await mkdtemp(join(tmpdir(), 'routing-pact-'));
  const signer = await createDevSigner({ keyDir });
  serviceToken = await signer.mint({ subject: 'sms-orchestrator', serviceName: 'sms-orchestrator' });
  const verifier = createJwtVerifier({ issuer: EMBEDDED_ISSUER, audience: EMBEDDED_AUDIENCE, publicKeyPem: signer.publicKeyPem });
  const registry = new Registry();
  const logger = createLogger({ service: 'routing-engine', level: 'silent' });
  app = await createHttpApp({ service: 'routing-engine', version: '0.0.0', logger, registry });
  const metrics = new RoutingMetrics(registry);
  registerRouteApi(app, () => ({
    resolveRoute: new ResolveRoute({ tables: projection, clock, random: () => 0 }),
    verifier,
    metrics,
    elapsedSeconds: () => 0,
  }));
  baseUrl = (await startHttpServer(app, { host: '127.0.0.1', port: 0 })).url;
});

afterAll(async () => {
  await app.close();
  await rm(keyDir, { recursive: true, force: true });
});

describe('the routing-engine contract (provider: routing-engine, consumer: sms-orchestrator)', () => {
  it('satisfies every interaction of the orchestrator pact', async () => {
    expect(existsSync(PACT_FILE)).toBe(true);
    const pact = await pactToVerify(keyDir);
    const output = await new Verifier({
      provider: 'routing-engine',
      providerBaseUrl: baseUrl,
      pactUrls: [pact.path],
      logLevel: 'error',
      // The pact records a placeholder token; the provider verifies real ones, so the proxy swaps in a minted service token.
      requestFilter: (request: IncomingMessage, _response: ServerResponse, next: () => void) => {
        request.headers.authorization = `Bearer ${serviceToken}`;
        next();
      },
      stateHandlers: {
        'operator roshan serves +9379 through connection roshan-smpp-1': () =>
          freshState(async (p) => {
            await p.applyOperator(operator(ROSHAN));
            await p.applyHealth(health(ROSHAN, 'up'));
            await p.applyRuleSet(ruleSet([rule({ id: 'roshan-own', operatorId: ROSHAN, prefixes: ['9379'] })]));
          }),
        'no operator serves +93791234567': () =>
          freshState(async (p) => {
            await p.applyRuleSet(ruleSet([rule({ id: 'awcc-own', operatorId: ROSHAN, prefixes: ['9370'] })]));
          }),
        'the health of every operator serving +9379 is unknown': () =>
          freshState(async (p) => {
            await p.applyOperator(operator(ROSHAN));
            await p.applyRuleSet(ruleSet([rule({ id: 'roshan-own', operatorId: ROSHAN, prefixes: ['9379'] })]));
          }),
      },
    }).verifyProvider();
    // verifyProvider rejects on any mismatch; this only shows that it ran.
    expect(typeof output).toBe('string');
  });
});
