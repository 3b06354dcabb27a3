import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedRouter, ScriptedSenderLeaseChecker } from '../../src/application/testing/index.js';
import { call, validSend } from '../support/http.js';
import { startOrchestratorFixture } from '../support/orchestrator-fixture.js';
import type { OrchestratorFixture } from '../support/orchestrator-fixture.js';

let fixture: OrchestratorFixture;

beforeAll(async () => {
  fixture = await startOrchestratorFixture({
    label: 'orch_flag_off',
    env: { SUBMIT_API_ENABLED: 'false' },
    overrides: { senderLeases: new ScriptedSenderLeaseChecker(), router: new ScriptedRouter() },
  });
});
afterAll(async () => {
  await fixture.close();
});

describe('the SUBMIT_API_ENABLED feature flag', () => {
  it('when off, answers every submit API endpoint with 503 problem+json saying so, before authentication', async () => {
    const requests = [
      ['POST', '/v1/sms/send', validSend()],
      ['POST', '/v1/sms/bulk', { messages: [validSend()] }],
      ['GET', '/v1/sms/0190a000-0000-7000-8000-000000000000', undefined],
    ] as const;

    for (const [method, url, payload] of requests) {
      const response = await call(fixture.app, method, url, {}, payload);
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe('ORCH.SUBMIT_API_DISABLED');
      expect(String(response.body.detail)).toContain('SUBMIT_API_ENABLED');
    }
  });

  it('when off, leaves health answering', async () => {
    const response = await fixture.app.inject({ method: 'GET', url: '/health/live' });

    expect(response.statusCode).toBe(200);
  });
});
