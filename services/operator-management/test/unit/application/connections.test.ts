import { describe, expect, it } from 'vitest';
import { OPS_EVENT_TYPES } from '../../../src/index.js';
import { connection, errorOf, givenOperator, harness, valueOf } from '../../support/harness.js';

describe('AddConnection', () => {
  it('adds a connection and writes an updated event naming it', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    const result = valueOf(await h.addConnection.execute({ operatorId: roshan.id, settings: connection({ port: 2776 }) }));
    expect(result.operator.connections.map((c) => c.id)).toEqual([roshan.connections[0]?.id, result.connectionId]);
    expect(h.outbox.events.at(-1)).toMatchObject({ type: OPS_EVENT_TYPES.operatorChanged, data: { changedFields: [`connections[${result.connectionId}]`] } });
  });

  it('stores the password first and records its version in the same change', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    const result = valueOf(await h.addConnection.execute({ operatorId: roshan.id, settings: connection({ port: 2776 }), password: 'pw' }));
    expect(await h.store.get(`operators/${roshan.id}/connections/${result.connectionId}`)).toEqual({ password: 'pw' });
    expect([result.operator.version, result.operator.connections[1]?.authentication.configured]).toEqual([2, true]);
    expect(h.outbox.events.at(-1)?.data).toMatchObject({ changedFields: [`connections[${result.connectionId}]`, `connections[${result.connectionId}].authentication`] });
  });

  it('is refused cleanly when the secret store is down: no connection, no event', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    h.store.down();
    const error = errorOf(await h.addConnection.execute({ operatorId: roshan.id, settings: connection({ port: 2776 }), password: 'pw' }));
    expect(error.code).toBe('OPS.SECRET_STORE_UNAVAILABLE');
    expect([valueOf(await h.getOperator.execute(roshan.id)).connections.length, h.outbox.events.length]).toEqual([1, 1]);
  });

  it('adds a connection without a password while the secret store is down', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    h.store.down();
    expect((await h.addConnection.execute({ operatorId: roshan.id, settings: connection({ port: 2776 }) })).ok).toBe(true);
  });

  it('checks the connection before touching the secret store', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    const same = connection({ host: roshan.connections[0]?.host ?? '', systemId: roshan.connections[0]?.systemId ?? '' });
    const error = errorOf(await h.addConnection.execute({ operatorId: roshan.id, settings: same, password: 'pw' }));
    expect([error.code, h.store.paths()]).toEqual(['OPS.CONNECTION_DUPLICATE', []]);
  });

  it('refuses an invalid password without storing it', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    const error = errorOf(await h.addConnection.execute({ operatorId: roshan.id, settings: connection({ port: 1 }), password: 'x y' }));
    expect(error).toMatchObject({ code: 'OPS.VALIDATION_FAILED', issues: [{ field: 'password' }] });
  });

  it('answers OPS.OPERATOR_NOT_FOUND for an unknown operator', async () => {
    expect(errorOf(await harness().addConnection.execute({ operatorId: 'nope', settings: connection() })).code).toBe('OPS.OPERATOR_NOT_FOUND');
  });

  it('refuses a deleted operator', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    valueOf(await h.softDeleteOperator.execute({ operatorId: roshan.id }));
    expect(errorOf(await h.addConnection.execute({ operatorId: roshan.id, settings: connection({ port: 1 }) })).code).toBe('OPS.OPERATOR_DELETED');
  });

  it('removes the stored password when the record cannot be written (the operator was deleted meanwhile)', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    const put = h.store.put.bind(h.store);
    h.store.put = async (path, data) => {
      const written = await put(path, data);
      valueOf(await h.softDeleteOperator.execute({ operatorId: roshan.id }));
      return written;
    };
    const error = errorOf(await h.addConnection.execute({ operatorId: roshan.id, settings: connection({ port: 2776 }), password: 'pw' }));
    expect([error.code, h.store.paths()]).toEqual(['OPS.OPERATOR_DELETED', []]);
  });

  it('removes the stored password and rethrows when the database write fails', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    h.operators.failNextWrite(new Error('deadlock'));
    await expect(h.addConnection.execute({ operatorId: roshan.id, settings: connection({ port: 2776 }), password: 'pw' })).rejects.toThrow('deadlock');
    expect(h.store.paths()).toEqual([]);
  });

  it('rethrows a database fault without a password to clean up', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    h.operators.failNextWrite(new Error('deadlock'));
    await expect(h.addConnection.execute({ operatorId: roshan.id, settings: connection({ port: 2776 }) })).rejects.toThrow('deadlock');
  });
});

describe('UpdateConnection', () => {
  it('changes settings and names them in the event', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    const id = roshan.connections[0]?.id ?? '';
    const result = valueOf(await h.updateConnection.execute({ operatorId: roshan.id, connectionId: id, patch: { throughputLimit: 500 } }));
    expect([result.changedFields, result.operator.connections[0]?.throughputLimit]).toEqual([[`connections[${id}].throughputLimit`], 500]);
  });

  it('works while the secret store is down (no password involved)', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    h.store.down();
    expect((await h.updateConnection.execute({ operatorId: roshan.id, connectionId: roshan.connections[0]?.id ?? '', patch: { tls: false } })).ok).toBe(true);
  });

  it('refuses an unknown connection', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    expect(errorOf(await h.updateConnection.execute({ operatorId: roshan.id, connectionId: 'c-x', patch: { tls: false } })).code).toBe('OPS.CONNECTION_NOT_FOUND');
  });

  it('refuses a stale expected version', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    expect(errorOf(await h.updateConnection.execute({ operatorId: roshan.id, connectionId: roshan.connections[0]?.id ?? '', expectedVersion: 9, patch: { tls: false } })).code).toBe(
      'OPS.VERSION_CONFLICT',
    );
  });
});

describe('RemoveConnection', () => {
  it('removes the connection, then its password', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    const added = valueOf(await h.addConnection.execute({ operatorId: roshan.id, settings: connection({ port: 2776 }), password: 'pw' }));
    const result = valueOf(await h.removeConnection.execute({ operatorId: roshan.id, connectionId: added.connectionId }));
    expect([result.operator.connections.length, result.storeCleanup, h.store.paths()]).toEqual([1, 'done', []]);
    expect(h.outbox.events.at(-1)?.data).toMatchObject({ changedFields: [`connections[${added.connectionId}]`] });
  });

  it('removes the connection even when the secret store is down, reporting the cleanup as pending', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    const added = valueOf(await h.addConnection.execute({ operatorId: roshan.id, settings: connection({ port: 2776 }), password: 'pw' }));
    h.store.down();
    const result = valueOf(await h.removeConnection.execute({ operatorId: roshan.id, connectionId: added.connectionId }));
    expect([result.operator.connections.length, result.storeCleanup]).toEqual([1, 'pending']);
  });

  it('refuses to remove the last connection', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    expect(errorOf(await h.removeConnection.execute({ operatorId: roshan.id, connectionId: roshan.connections[0]?.id ?? '' })).code).toBe('OPS.LAST_CONNECTION');
  });
});
