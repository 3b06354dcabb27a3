import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '@sms/kernel';
import { auth, eventually, startOpsService, type OpsServiceFixture } from '../support/ops-service.js';
import { createOperatorOver, operatorBody, type OperatorJson } from '../support/requests.js';

let s: OpsServiceFixture;
let roshan: OperatorJson;
let credentialsUrl: string;

beforeAll(async () => {
  s = await startOpsService({ label: 'ops_credentials' });
  roshan = await createOperatorOver(s, operatorBody('roshan', {}, 'rosh-pw1'));
  credentialsUrl = `/v1/operators/${roshan.id}/connections/${roshan.connections[0]?.id}/credentials`;
});

afterAll(async () => {
  await s.stop();
});

const getCredentials = (url: string, headers: Record<string, string> = {}) => s.app.inject({ method: 'GET', url, headers });

describe('credentials-endpoint', () => {
  it('gives the SMPP gateway’s service identity the bind credentials, never cached', async () => {
    const response = await getCredentials(credentialsUrl, auth(s.tokens.gateway));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ operatorId: roshan.id, connectionId: roshan.connections[0]?.id, systemId: 'ROSH_A2P', password: 'rosh-pw1' });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['an administrator', 'admin'],
    ['a reader', 'reader'],
    ['another service (routing engine)', 'routingEngine'],
  ] as const)('refuses %s with 403 OPS.CREDENTIALS_FORBIDDEN and no password', async (_who, token) => {
    const response = await getCredentials(credentialsUrl, auth(s.tokens[token]));
    expect([response.statusCode, response.json<{ code: string }>().code]).toEqual([403, 'OPS.CREDENTIALS_FORBIDDEN']);
    expect(response.body).not.toContain('rosh-pw1');
  });

  it('refuses a caller without a token with 401', async () => {
    const response = await getCredentials(credentialsUrl);
    expect(response.statusCode).toBe(401);
    expect(response.body).not.toContain('rosh-pw1');
  });

  it('refuses others the same way whether the operator exists or not (nothing is looked up first)', async () => {
    const unknown = await getCredentials(`/v1/operators/${uuidv7()}/connections/${uuidv7()}/credentials`, auth(s.tokens.admin));
    expect([unknown.statusCode, unknown.json<{ code: string }>().code]).toEqual([403, 'OPS.CREDENTIALS_FORBIDDEN']);
  });

  it('answers the gateway 404 for a connection that has no password yet', async () => {
    const awcc = await createOperatorOver(s, operatorBody('awcc'));
    const response = await getCredentials(`/v1/operators/${awcc.id}/connections/${awcc.connections[0]?.id}/credentials`, auth(s.tokens.gateway));
    expect([response.statusCode, response.json<{ code: string }>().code]).toEqual([404, 'OPS.CREDENTIALS_NOT_SET']);
  });

  it('hands out the rotated password after a rotation, and the event says only that the version changed', async () => {
    const connectionId = roshan.connections[0]?.id ?? '';
    const rotate = await s.app.inject({
      method: 'PUT',
      url: `/v1/operators/${roshan.id}/connections/${connectionId}/password`,
      headers: auth(s.tokens.admin),
      payload: { password: 'rosh-pw2' },
    });
    expect(rotate.json()).toMatchObject({ authVersion: 2, rotated: true });
    expect(rotate.body).not.toContain('rosh-pw2');
    const response = await getCredentials(credentialsUrl, auth(s.tokens.gateway));
    expect(response.json<{ password: string }>().password).toBe('rosh-pw2');
    await eventually(() =>
      expect(s.events().some((e) => JSON.stringify(e.data).includes(`connections[${connectionId}].authentication`))).toBe(true),
    );
    const rotation = s.events().find((e) => JSON.stringify(e.data).includes(`connections[${connectionId}].authentication`));
    expect(JSON.stringify(rotation)).not.toContain('rosh-pw');
    expect(rotation).toMatchObject({ data: { operator: { connections: [{ authentication: { configured: true, version: 2 } }] } } });
  });

  it('counts granted and refused credential requests in the metrics', async () => {
    const metrics = await s.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/ops_credential_requests_total\{outcome="granted",service="operator-management"\} [1-9]/);
    expect(metrics.body).toMatch(/ops_credential_requests_total\{outcome="OPS.CREDENTIALS_FORBIDDEN",service="operator-management"\} [1-9]/);
  });
});
