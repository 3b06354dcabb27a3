import { fileURLToPath } from 'node:url';
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { afterAll, describe, expect, it } from 'vitest';
import { compareWithCommittedPact, pactOutputDir } from '@sms/testing';
import { ConfigTransportError, createHttpConfigTransport } from '../../src/index.js';

// Consumer side of the contract with config-service: the pact this writes to pacts/ is committed, and
// services/config-service/test/contract/config-client.pact-provider.test.ts verifies that file
// against the real service. Every value in it is fixed (no generated ids or dates), so that running
// this test again rewrites the file byte for byte.
const committedPacts = fileURLToPath(new URL('../../pacts', import.meta.url));
const pactOutput = pactOutputDir('config');
const pact = new PactV4({
  consumer: 'config-client',
  provider: 'config-service',
  dir: pactOutput,
  logLevel: 'error',
});

const TOKEN = 'service-token-of-the-caller';
const TENANT = 'tenant-acme';
const UNKNOWN_TENANT = 'tenant-unknown';
const OTHER_TENANT = 'tenant-globex';
const PARTS = 'sms.max_parts_per_message';
const RATE = 'sms.submit_rate_per_second';
const ACME_PATH = '/GLOBAL/tenant:acme';

// The exact casing pact-js uses for the header it adds with a JSON body, so that the pact names it once.
const JSON_TYPE = { 'Content-Type': 'application/json' };
const PROBLEM_TYPE = { 'Content-Type': 'application/problem+json' };

const resolveRequest = (tenantId: string) => ({
  query: { node: `tenant:${tenantId}` },
  headers: { Accept: 'application/json', Authorization: MatchersV3.regex('^Bearer .+$', `Bearer ${TOKEN}`) },
});

const transport = (baseUrl: string) => createHttpConfigTransport({ baseUrl, token: TOKEN, timeoutMs: 5_000 });

/** What the transport threw, or a failure when it answered. */
async function failureOf(call: Promise<unknown>): Promise<ConfigTransportError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ConfigTransportError) return error;
    throw error;
  }
  throw new Error('expected the transport to throw ConfigTransportError');
}

describe('the config-service contract (consumer: config-client)', () => {
  it('resolves a tenant’s configuration: each value with the node it comes from, or the key’s default', async () => {
    await pact
      .addInteraction()
      .given(`tenant ${TENANT} has node ${ACME_PATH} with ${PARTS} set to 3 and ${RATE} not set`)
      .uponReceiving('a request to resolve the configuration of a tenant')
      .withRequest('GET', '/v1/resolve', (request) => {
        const { query, headers } = resolveRequest(TENANT);
        request.query(query).headers(headers);
      })
      .willRespondWith(200, (response) =>
        response.headers(JSON_TYPE).jsonBody({
          nodeId: MatchersV3.string('0196486e-2c00-7000-8000-00000000acme'),
          path: ACME_PATH,
          tenantId: TENANT,
          values: {
            [PARTS]: {
              value: 3,
              redacted: false,
              source: { kind: 'node', nodeId: MatchersV3.string('0196486e-2c00-7000-8000-00000000acme'), path: ACME_PATH },
              lockedAt: null,
            },
            [RATE]: {
              value: MatchersV3.integer(100),
              redacted: false,
              source: { kind: 'default' },
              lockedAt: null,
            },
          },
        }),
      )
      .executeTest(async (server) => {
        const resolved = await transport(server.url)(`tenant:${TENANT}`);

        expect(resolved).toEqual({ path: ACME_PATH, tenantId: TENANT, values: { [PARTS]: { value: 3 }, [RATE]: { value: 100 } } });
      });
  });

  it('learns that a tenant has no node it may see, with the problem’s code', async () => {
    await pact
      .addInteraction()
      .given(`no node belongs to tenant ${UNKNOWN_TENANT}`)
      .uponReceiving('a request to resolve the configuration of a tenant config-service does not know')
      .withRequest('GET', '/v1/resolve', (request) => {
        const { query, headers } = resolveRequest(UNKNOWN_TENANT);
        request.query(query).headers(headers);
      })
      .willRespondWith(404, (response) =>
        response.headers(PROBLEM_TYPE).jsonBody({
          type: MatchersV3.string('https://errors.sms-platform.dev/config-node-not-found'),
          title: MatchersV3.string('Configuration node not found'),
          status: 404,
          code: 'CONFIG.NODE_NOT_FOUND',
          detail: MatchersV3.string(`no configuration node tenant:${UNKNOWN_TENANT}`),
        }),
      )
      .executeTest(async (server) => {
        const error = await failureOf(transport(server.url)(`tenant:${UNKNOWN_TENANT}`));

        expect([error.status, error.code]).toEqual([404, 'CONFIG.NODE_NOT_FOUND']);
      });
  });

  it('learns that a node the caller may not see is not found, exactly as a missing one', async () => {
    await pact
      .addInteraction()
      .given(`tenant ${TENANT} has node ${ACME_PATH}`)
      .given(`the caller is a user of tenant ${OTHER_TENANT}`)
      .uponReceiving('a request to resolve the configuration of another tenant')
      .withRequest('GET', '/v1/resolve', (request) => {
        const { query, headers } = resolveRequest(TENANT);
        request.query(query).headers(headers);
      })
      .willRespondWith(404, (response) =>
        response.headers(PROBLEM_TYPE).jsonBody({
          type: MatchersV3.string('https://errors.sms-platform.dev/config-node-not-found'),
          title: MatchersV3.string('Configuration node not found'),
          status: 404,
          code: 'CONFIG.NODE_NOT_FOUND',
          detail: MatchersV3.string(`no configuration node tenant:${TENANT}`),
        }),
      )
      .executeTest(async (server) => {
        const error = await failureOf(transport(server.url)(`tenant:${TENANT}`));

        expect([error.status, error.code]).toEqual([404, 'CONFIG.NODE_NOT_FOUND']);
      });
  });

  it('is refused with a token config-service does not trust, with the problem’s code', async () => {
    await pact
      .addInteraction()
      .given('config-service does not trust the token of the caller')
      .given(`tenant ${TENANT} has node ${ACME_PATH}`)
      .uponReceiving('a request to resolve the configuration of a tenant with an untrusted token')
      .withRequest('GET', '/v1/resolve', (request) => {
        const { query, headers } = resolveRequest(TENANT);
        request.query(query).headers(headers);
      })
      .willRespondWith(401, (response) =>
        response.headers(PROBLEM_TYPE).jsonBody({
          type: MatchersV3.string('https://errors.sms-platform.dev/auth-token-invalid'),
          title: MatchersV3.string('Invalid token'),
          status: 401,
          code: 'AUTH.TOKEN_INVALID',
        }),
      )
      .executeTest(async (server) => {
        const error = await failureOf(transport(server.url)(`tenant:${TENANT}`));

        expect([error.status, error.code]).toEqual([401, 'AUTH.TOKEN_INVALID']);
      });
  });
});

// The provider verifies the committed pact; this keeps it equal to what the consumer really expects.
afterAll(async () => {
  expect(await compareWithCommittedPact(pactOutput, committedPacts, 'config-client-config-service.json')).toBeNull();
});
