import { describe, expect, it } from 'vitest';
import { GetConnectionCredentials, SMPP_GATEWAY_SERVICE, type CallerIdentity } from '../../../src/index.js';
import { connection, errorOf, givenOperator, harness, valueOf, type Harness } from '../../support/harness.js';

const gateway: CallerIdentity = { kind: 'service', service: SMPP_GATEWAY_SERVICE };

async function operatorWithPassword(h: Harness, password = 'pw-1') {
  const roshan = await givenOperator(h, 'roshan', { connections: [{ ...connection(), password }] });
  return { operatorId: roshan.id, connectionId: roshan.connections[0]?.id ?? '' };
}

describe('SetConnectionPassword', () => {
  it('sets a first password: stored in the secret store, version recorded, no password in the answer', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    const connectionId = roshan.connections[0]?.id ?? '';
    const result = valueOf(await h.setConnectionPassword.execute({ operatorId: roshan.id, connectionId, password: 'first' }));
    expect(result).toEqual({ operatorId: roshan.id, connectionId, authVersion: 1, changedAt: '2026-04-18T12:00:00.000Z', rotated: false });
    expect(await h.store.get(`operators/${roshan.id}/connections/${connectionId}`)).toEqual({ password: 'first' });
  });

  it('rotates a password to a new secret-store version and tells consumers through an updated event', async () => {
    const h = harness();
    const ids = await operatorWithPassword(h);
    const result = valueOf(await h.setConnectionPassword.execute({ ...ids, password: 'second' }));
    expect([result.authVersion, result.rotated]).toEqual([2, true]);
    expect(h.outbox.events.at(-1)?.data).toMatchObject({
      change: 'updated',
      changedFields: [`connections[${ids.connectionId}].authentication`],
      operator: { connections: [{ authentication: { configured: true, version: 2 } }] },
    });
  });

  it('is refused with OPS.SECRET_STORE_UNAVAILABLE when the store is down, changing nothing', async () => {
    const h = harness();
    const ids = await operatorWithPassword(h);
    const eventsBefore = h.outbox.events.length;
    h.store.down();
    expect(errorOf(await h.setConnectionPassword.execute({ ...ids, password: 'second' })).code).toBe('OPS.SECRET_STORE_UNAVAILABLE');
    h.store.up();
    expect([await h.store.get(`operators/${ids.operatorId}/connections/${ids.connectionId}`), h.outbox.events.length]).toEqual([{ password: 'pw-1' }, eventsBefore]);
  });

  it('refuses an invalid password', async () => {
    const h = harness();
    const ids = await operatorWithPassword(h);
    expect(errorOf(await h.setConnectionPassword.execute({ ...ids, password: '123456789' })).code).toBe('OPS.VALIDATION_FAILED');
  });

  it('answers OPS.OPERATOR_NOT_FOUND, OPS.OPERATOR_DELETED and OPS.CONNECTION_NOT_FOUND', async () => {
    const h = harness();
    const ids = await operatorWithPassword(h);
    const unknownOperator = await h.setConnectionPassword.execute({ operatorId: 'nope', connectionId: ids.connectionId, password: 'x' });
    const unknownConnection = await h.setConnectionPassword.execute({ operatorId: ids.operatorId, connectionId: 'nope', password: 'x' });
    valueOf(await h.softDeleteOperator.execute({ operatorId: ids.operatorId }));
    const deleted = await h.setConnectionPassword.execute({ ...ids, password: 'x' });
    expect([unknownOperator, unknownConnection, deleted].map((r) => errorOf(r).code)).toEqual(['OPS.OPERATOR_NOT_FOUND', 'OPS.CONNECTION_NOT_FOUND', 'OPS.OPERATOR_DELETED']);
  });

  it('removes the new secret when the connection disappears between the store write and the record write', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    const added = valueOf(await h.addConnection.execute({ operatorId: roshan.id, settings: connection({ port: 2776 }) }));
    const put = h.store.put.bind(h.store);
    h.store.put = async (path, data) => {
      const written = await put(path, data);
      valueOf(await h.removeConnection.execute({ operatorId: roshan.id, connectionId: added.connectionId }));
      return written;
    };
    const error = errorOf(await h.setConnectionPassword.execute({ operatorId: roshan.id, connectionId: added.connectionId, password: 'pw' }));
    expect([error.code, h.store.paths()]).toEqual(['OPS.CONNECTION_NOT_FOUND', []]);
  });

  it('keeps the new secret when the record write loses every retry, so a retry converges', async () => {
    const h = harness();
    const ids = await operatorWithPassword(h);
    h.operators.update = async () => {
      await Promise.resolve();
      return { kind: 'version_conflict', actualVersion: 50 };
    };
    expect(errorOf(await h.setConnectionPassword.execute({ ...ids, password: 'second' })).code).toBe('OPS.VERSION_CONFLICT');
    expect(await h.store.get(`operators/${ids.operatorId}/connections/${ids.connectionId}`)).toEqual({ password: 'second' });
  });
});

describe('GetConnectionCredentials', () => {
  it('returns the bind credentials to the SMPP gateway service identity', async () => {
    const h = harness();
    const ids = await operatorWithPassword(h, 'b1ndPw');
    expect(valueOf(await h.getConnectionCredentials.execute({ caller: gateway, ...ids }))).toEqual({ ...ids, systemId: 'ROSH_A2P', password: 'b1ndPw' });
  });

  it('returns the latest password after a rotation', async () => {
    const h = harness();
    const ids = await operatorWithPassword(h);
    valueOf(await h.setConnectionPassword.execute({ ...ids, password: 'rotated' }));
    expect(valueOf(await h.getConnectionCredentials.execute({ caller: gateway, ...ids })).password).toBe('rotated');
  });

  it.each<[string, CallerIdentity]>([
    ['another service', { kind: 'service', service: 'routing-engine' }],
    ['an administrator', { kind: 'user', subject: 'admin@ops', roles: ['ops-admin'] }],
    ['an anonymous caller', { kind: 'anonymous' }],
  ])('refuses %s with OPS.CREDENTIALS_FORBIDDEN', async (_label, caller) => {
    const h = harness();
    const ids = await operatorWithPassword(h);
    expect(errorOf(await h.getConnectionCredentials.execute({ caller, ...ids })).code).toBe('OPS.CREDENTIALS_FORBIDDEN');
  });

  it('refuses a non-gateway caller before looking anything up, so unknown ids look the same', async () => {
    const h = harness();
    const caller: CallerIdentity = { kind: 'service', service: 'routing-engine' };
    expect(errorOf(await h.getConnectionCredentials.execute({ caller, operatorId: 'nope', connectionId: 'nope' })).code).toBe('OPS.CREDENTIALS_FORBIDDEN');
  });

  it('allows the service identities it is configured with', async () => {
    const h = harness();
    const ids = await operatorWithPassword(h);
    const custom = new GetConnectionCredentials({ operators: h.operators, vault: h.vault, allowedServices: ['smpp-gateway-dr'] });
    expect((await custom.execute({ caller: { kind: 'service', service: 'smpp-gateway-dr' }, ...ids })).ok).toBe(true);
    expect(errorOf(await custom.execute({ caller: gateway, ...ids })).code).toBe('OPS.CREDENTIALS_FORBIDDEN');
  });

  it('answers 503-class OPS.SECRET_STORE_UNAVAILABLE when the store is down', async () => {
    const h = harness();
    const ids = await operatorWithPassword(h);
    h.store.down();
    expect(errorOf(await h.getConnectionCredentials.execute({ caller: gateway, ...ids })).code).toBe('OPS.SECRET_STORE_UNAVAILABLE');
  });

  it('answers OPS.CREDENTIALS_NOT_SET for a connection without a password', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    const error = errorOf(await h.getConnectionCredentials.execute({ caller: gateway, operatorId: roshan.id, connectionId: roshan.connections[0]?.id ?? '' }));
    expect(error.code).toBe('OPS.CREDENTIALS_NOT_SET');
  });

  it('answers OPS.OPERATOR_NOT_FOUND, OPS.CONNECTION_NOT_FOUND and OPS.OPERATOR_DELETED', async () => {
    const h = harness();
    const ids = await operatorWithPassword(h);
    const unknownOperator = await h.getConnectionCredentials.execute({ caller: gateway, operatorId: 'nope', connectionId: ids.connectionId });
    const unknownConnection = await h.getConnectionCredentials.execute({ caller: gateway, operatorId: ids.operatorId, connectionId: 'nope' });
    valueOf(await h.softDeleteOperator.execute({ operatorId: ids.operatorId }));
    const deleted = await h.getConnectionCredentials.execute({ caller: gateway, ...ids });
    expect([unknownOperator, unknownConnection, deleted].map((r) => errorOf(r).code)).toEqual(['OPS.OPERATOR_NOT_FOUND', 'OPS.CONNECTION_NOT_FOUND', 'OPS.OPERATOR_DELETED']);
  });
});
