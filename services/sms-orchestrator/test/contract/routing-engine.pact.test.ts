import { fileURLToPath } from 'node:url';
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { afterAll, describe, expect, it } from 'vitest';
import { compareWithCommittedPact, pactOutputDir } from '@sms/testing';
import { HttpRouter, NO_ROUTE_CODE, ROUTE_RESOLVE_PATH } from '../../src/adapters/routing/http-router.js';
import { staticServiceToken } from '../../src/adapters/service-token.js';

// Consumer side of the contract with routing-engine (which does not exist yet): the pact file this
// writes to pacts/ is what routing-engine's provider verification must satisfy.
const committedPacts = fileURLToPath(new URL('../../pacts', import.meta.url));
const pactOutput = pactOutputDir('routing');
const pact = new PactV4({
  consumer: 'sms-orchestrator',
  provider: 'routing-engine',
  dir: pactOutput,
  logLevel: 'error',
});

const TOKEN = 'service-token-of-the-orchestrator';
const query = {
  tenantId: 'tenant-a',
  messageId: '0196486e-2c00-7000-8000-000000000001',
  destination: '+93791234567',
  sender: { kind: 'msisdn' as const, value: '+93701234567' },
  segments: 1,
};
const requestBody = {
  tenant_id: 'tenant-a',
  message_id: MatchersV3.uuid('0196486e-2c00-7000-8000-000000000001'),
  destination: MatchersV3.regex('^\\+[1-9][0-9]{6,14}$', '+93791234567'),
  sender: { kind: MatchersV3.regex('^(msisdn|short_code)$', 'msisdn'), value: MatchersV3.string('+93701234567') },
  segments: MatchersV3.integer(1),
};
const router = (baseUrl: string) => new HttpRouter({ baseUrl, tokens: staticServiceToken(TOKEN), timeoutMs: 5_000 });

describe('the routing-engine contract (consumer: sms-orchestrator)', () => {
  it('gets the operator and connection for a destination an operator serves', async () => {
    await pact
      .addInteraction()
      .given('operator roshan serves +9379 through connection roshan-smpp-1')
      .uponReceiving('a route request for a Roshan destination')
      .withRequest('POST', ROUTE_RESOLVE_PATH, (request) =>
        request
          .headers({ 'Content-Type': 'application/json', authorization: MatchersV3.regex('^Bearer .+$', `Bearer ${TOKEN}`) })
          .jsonBody(requestBody),
      )
      .willRespondWith(200, (response) =>
        response.headers({ 'Content-Type': 'application/json' }).jsonBody({
          operator_id: MatchersV3.string('roshan'),
          connection_id: MatchersV3.string('roshan-smpp-1'),
        }),
      )
      .executeTest(async (server) => {
        const result = await router(server.url).route(query);

        expect(result).toEqual({ outcome: 'route', route: { operatorId: 'roshan', connectionId: 'roshan-smpp-1' } });
      });
  });

  it('learns that no operator serves a destination (permanent: the message is rejected)', async () => {
    await pact
      .addInteraction()
      .given('no operator serves +93791234567')
      .uponReceiving('a route request for a destination no operator serves')
      .withRequest('POST', ROUTE_RESOLVE_PATH, (request) => request.headers({ 'Content-Type': 'application/json' }).jsonBody(requestBody))
      .willRespondWith(422, (response) =>
        response.headers({ 'Content-Type': 'application/problem+json' }).jsonBody({
          type: MatchersV3.string('https://errors.sms-platform.dev/routing-no-route'),
          title: MatchersV3.string('No route to destination'),
          status: 422,
          code: NO_ROUTE_CODE,
          detail: MatchersV3.string('no operator serves +93791234567'),
        }),
      )
      .executeTest(async (server) => {
        const result = await router(server.url).route(query);

        expect(result).toEqual({ outcome: 'no-route', reason: 'no operator serves +93791234567' });
      });
  });

  it('treats an engine that cannot decide right now as unavailable (transient: the message is retried)', async () => {
    await pact
      .addInteraction()
      .given('the health of every operator serving +9379 is unknown')
      .uponReceiving('a route request while operator health is unknown')
      .withRequest('POST', ROUTE_RESOLVE_PATH, (request) => request.headers({ 'Content-Type': 'application/json' }).jsonBody(requestBody))
      .willRespondWith(503, (response) =>
        response.headers({ 'Content-Type': 'application/problem+json' }).jsonBody({
          type: MatchersV3.string('https://errors.sms-platform.dev/routing-unavailable'),
          title: MatchersV3.string('Routing unavailable'),
          status: 503,
          code: MatchersV3.string('ROUTING.UNAVAILABLE'),
        }),
      )
      .executeTest(async (server) => {
        const result = await router(server.url).route(query);

        expect(result).toEqual({ outcome: 'unavailable', reason: 'routing engine answered 503 ROUTING.UNAVAILABLE' });
      });
  });
});

describe('the routing-engine client outside the contract', () => {
  it('answers unavailable when nothing listens at the address', async () => {
    const result = await router('http://127.0.0.1:9').route(query);

    expect(result.outcome).toBe('unavailable');
  });
});

// The provider verifies the committed pact; this keeps it equal to what the consumer really expects.
afterAll(async () => {
  expect(await compareWithCommittedPact(pactOutput, committedPacts, 'sms-orchestrator-routing-engine.json')).toBeNull();
});
