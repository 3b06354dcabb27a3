import { describe, expect, it } from 'vitest';
import { OPS_EVENT_TYPES } from '../../../src/index.js';
import { connection, errorOf, givenOperator, harness, mnoCommand, valueOf } from '../../support/harness.js';

describe('CreateOperator', () => {
  it('creates each of the five Afghan MNOs', async () => {
    const h = harness();
    for (const key of ['roshan', 'awcc', 'etisalat', 'mtn', 'salaam'] as const) await givenOperator(h, key);
    const page = valueOf(await h.listOperators.execute());
    expect(page.items.map((o) => `${o.code} ${o.mcc}-${o.mnc}`)).toEqual(['ROSHAN 412-20', 'AWCC 412-01', 'ETISALAT-AF 412-50', 'MTN-AF 412-40', 'SALAAM 412-80']);
  });

  it('returns the operator view at version 1 and writes one created event', async () => {
    const h = harness();
    const view = await givenOperator(h, 'roshan');
    expect(view).toMatchObject({ id: 'id-0001', code: 'ROSHAN', status: 'active', version: 1, createdAt: '2026-04-18T12:00:00.000Z' });
    expect(h.outbox.events).toEqual([
      expect.objectContaining({
        type: OPS_EVENT_TYPES.operatorChanged,
        aggregateType: 'operator',
        aggregateId: 'id-0001',
        tenantId: null,
        data: expect.objectContaining({ change: 'created', operator: view }) as unknown,
      }),
    ]);
  });

  it('defaults kind to mno, country to AF and prefixes to none', async () => {
    const h = harness();
    const { prefixes: _p, ...command } = mnoCommand('roshan');
    const view = valueOf(await h.createOperator.execute(command));
    expect([view.kind, view.country, view.prefixes]).toEqual(['mno', 'AF', []]);
  });

  it('stores given passwords in the secret store only, recording their versions', async () => {
    const h = harness();
    const view = valueOf(await h.createOperator.execute(mnoCommand('roshan', { connections: [{ ...connection(), password: 'pw-1' }] })));
    expect(h.store.paths()).toEqual(['operators/id-0001/connections/id-0002']);
    expect(await h.store.get('operators/id-0001/connections/id-0002')).toEqual({ password: 'pw-1' });
    expect(view.connections[0]?.authentication).toEqual({ configured: true, version: 1, changedAt: '2026-04-18T12:00:00.000Z' });
    expect(view.version).toBe(1);
  });

  it('leaves a connection without password unconfigured', async () => {
    const view = await givenOperator(harness(), 'roshan');
    expect(view.connections[0]?.authentication).toEqual({ configured: false, version: null, changedAt: null });
  });

  it('refuses invalid input naming each field, and stores nothing', async () => {
    const h = harness();
    const error = errorOf(await h.createOperator.execute(mnoCommand('roshan', { mcc: '41', connections: [{ ...connection({ port: 0 }), password: 'much too long' }] })));
    expect(error.code).toBe('OPS.VALIDATION_FAILED');
    expect(error.code === 'OPS.VALIDATION_FAILED' && error.issues.map((i) => i.field)).toEqual(['mcc', 'connections[0].port', 'connections[0].password']);
    expect([h.outbox.events, h.store.paths()]).toEqual([[], []]);
  });

  it('refuses an invalid password even when the rest is valid', async () => {
    const h = harness();
    const error = errorOf(await h.createOperator.execute(mnoCommand('roshan', { connections: [{ ...connection(), password: '' }] })));
    expect(error.code === 'OPS.VALIDATION_FAILED' && error.issues.map((i) => i.field)).toEqual(['connections[0].password']);
  });
});

describe('CreateOperator: duplicate prevention', () => {
  it('refuses a second operator with the same code, naming the field and the existing operator', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    const error = errorOf(await h.createOperator.execute(mnoCommand('roshan', { mnc: '21' })));
    expect(error).toMatchObject({ code: 'OPS.OPERATOR_DUPLICATE', field: 'code', existingOperatorId: roshan.id });
  });

  it('refuses the same code in another case', async () => {
    const h = harness();
    await givenOperator(h, 'roshan');
    expect(errorOf(await h.createOperator.execute(mnoCommand('roshan', { code: 'roshan', mnc: '21' })))).toMatchObject({ field: 'code' });
  });

  it('refuses a second operator with the same MCC/MNC', async () => {
    const h = harness();
    await givenOperator(h, 'roshan');
    expect(errorOf(await h.createOperator.execute(mnoCommand('roshan', { code: 'ROSHAN-2' })))).toMatchObject({ code: 'OPS.OPERATOR_DUPLICATE', field: 'mccMnc' });
  });

  it('lets two aggregators without MCC/MNC coexist', async () => {
    const h = harness();
    await h.createOperator.execute(mnoCommand('roshan', { code: 'HUB-1', kind: 'aggregator', mcc: null, mnc: null }));
    const second = await h.createOperator.execute(mnoCommand('roshan', { code: 'HUB-2', kind: 'aggregator', mcc: null, mnc: null }));
    expect(second.ok).toBe(true);
  });

  it('accepts the code and MCC/MNC of a deleted operator', async () => {
    const h = harness();
    const old = await givenOperator(h, 'roshan');
    valueOf(await h.softDeleteOperator.execute({ operatorId: old.id }));
    const again = valueOf(await h.createOperator.execute(mnoCommand('roshan')));
    expect(again.id).not.toBe(old.id);
  });

  it('lets exactly one of two concurrent creates of one code succeed', async () => {
    const h = harness();
    const results = await Promise.all([h.createOperator.execute(mnoCommand('roshan')), h.createOperator.execute(mnoCommand('roshan', { mnc: '21' }))]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code)).sort()).toEqual(['OPS.OPERATOR_DUPLICATE', 'ok']);
    expect(h.outbox.events).toHaveLength(1);
  });

  it('deletes the passwords it stored when the insert turns out to be a duplicate', async () => {
    const h = harness();
    const results = await Promise.all([
      h.createOperator.execute(mnoCommand('roshan', { connections: [{ ...connection(), password: 'first' }] })),
      h.createOperator.execute(mnoCommand('roshan', { connections: [{ ...connection(), password: 'second' }] })),
    ]);
    const winner = results.find((r) => r.ok);
    expect(h.store.paths()).toEqual([`operators/${winner?.ok ? winner.value.id : ''}/connections/${winner?.ok ? winner.value.connections[0]?.id : ''}`]);
  });
});

describe('CreateOperator: secret store failures', () => {
  it('is refused with OPS.SECRET_STORE_UNAVAILABLE and leaves no record when the store is down', async () => {
    const h = harness();
    h.store.down();
    const error = errorOf(await h.createOperator.execute(mnoCommand('roshan', { connections: [{ ...connection(), password: 'pw' }] })));
    expect(error.code).toBe('OPS.SECRET_STORE_UNAVAILABLE');
    expect(valueOf(await h.listOperators.execute({ statuses: ['active', 'suspended', 'deleted'] })).items).toEqual([]);
    expect(h.outbox.events).toEqual([]);
  });

  it('still creates an operator without passwords while the store is down', async () => {
    const h = harness();
    h.store.down();
    expect((await h.createOperator.execute(mnoCommand('roshan'))).ok).toBe(true);
  });

  it('removes the passwords already stored when the store fails part-way, leaving no record', async () => {
    const h = harness();
    h.store.failPutAfter(1);
    const command = mnoCommand('roshan', { connections: [{ ...connection(), password: 'a' }, { ...connection({ port: 2776 }), password: 'b' }] });
    expect(errorOf(await h.createOperator.execute(command)).code).toBe('OPS.SECRET_STORE_UNAVAILABLE');
    expect(h.store.paths()).toEqual([]);
    expect(valueOf(await h.listOperators.execute()).items).toEqual([]);
  });

  it('leaves an unreachable orphan secret when the store stays down during compensation', async () => {
    const h = harness();
    h.store.failPutAfter(1);
    const vaultRemoveAll = h.vault.removeAll.bind(h.vault);
    h.vault.removeAll = async (targets) => {
      h.store.down();
      return vaultRemoveAll(targets);
    };
    const command = mnoCommand('roshan', { connections: [{ ...connection(), password: 'a' }, { ...connection({ port: 2776 }), password: 'b' }] });
    expect(errorOf(await h.createOperator.execute(command)).code).toBe('OPS.SECRET_STORE_UNAVAILABLE');
    h.store.up();
    expect([h.store.paths(), valueOf(await h.listOperators.execute()).items]).toEqual([['operators/id-0001/connections/id-0002'], []]);
  });

  it('removes the stored passwords and rethrows when the database write fails', async () => {
    const h = harness();
    h.operators.failNextWrite(new Error('connection reset'));
    await expect(h.createOperator.execute(mnoCommand('roshan', { connections: [{ ...connection(), password: 'pw' }] }))).rejects.toThrow('connection reset');
    expect(h.store.paths()).toEqual([]);
  });
});
