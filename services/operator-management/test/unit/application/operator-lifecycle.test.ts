import { describe, expect, it } from 'vitest';
import { MAX_WRITE_ATTEMPTS, OPS_EVENT_TYPES, type Operator } from '../../../src/index.js';
import { connection, errorOf, givenOperator, harness, valueOf } from '../../support/harness.js';

describe('GetOperator', () => {
  it('returns an operator by id', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    expect(valueOf(await h.getOperator.execute(roshan.id))).toEqual(roshan);
  });

  it('answers OPS.OPERATOR_NOT_FOUND for an unknown id', async () => {
    expect(errorOf(await harness().getOperator.execute('nope'))).toMatchObject({ code: 'OPS.OPERATOR_NOT_FOUND', operatorId: 'nope' });
  });

  it('still returns a deleted operator, with its history', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    valueOf(await h.softDeleteOperator.execute({ operatorId: roshan.id }));
    expect(valueOf(await h.getOperator.execute(roshan.id))).toMatchObject({ status: 'deleted', code: 'ROSHAN', deletedAt: '2026-04-18T12:00:00.000Z' });
  });

  it('works while the secret store is down', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    h.store.down();
    expect((await h.getOperator.execute(roshan.id)).ok).toBe(true);
  });
});

describe('ListOperators', () => {
  it('lists active and suspended operators but not deleted ones by default', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    await givenOperator(h, 'awcc', { status: 'suspended' });
    await givenOperator(h, 'mtn');
    valueOf(await h.softDeleteOperator.execute({ operatorId: roshan.id }));
    expect(valueOf(await h.listOperators.execute()).items.map((o) => o.code)).toEqual(['AWCC', 'MTN-AF']);
  });

  it('lists deleted operators when asked', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    valueOf(await h.softDeleteOperator.execute({ operatorId: roshan.id }));
    expect(valueOf(await h.listOperators.execute({ statuses: ['deleted'] })).items.map((o) => o.code)).toEqual(['ROSHAN']);
  });

  it('pages with a cursor until the last page', async () => {
    const h = harness();
    for (const key of ['roshan', 'awcc', 'etisalat', 'mtn', 'salaam'] as const) await givenOperator(h, key);
    const first = valueOf(await h.listOperators.execute({ limit: 2 }));
    const second = valueOf(await h.listOperators.execute({ limit: 2, cursor: first.nextCursor }));
    const third = valueOf(await h.listOperators.execute({ limit: 2, cursor: second.nextCursor }));
    expect([first, second, third].map((p) => p.items.map((o) => o.code))).toEqual([['ROSHAN', 'AWCC'], ['ETISALAT-AF', 'MTN-AF'], ['SALAAM']]);
    expect(third.nextCursor).toBeNull();
  });

  it('returns no cursor when the page is exactly full and nothing follows', async () => {
    const h = harness();
    await givenOperator(h, 'roshan');
    expect(valueOf(await h.listOperators.execute({ limit: 1 })).nextCursor).toBeNull();
  });

  it.each([
    ['a limit of 0', { limit: 0 }, 'limit'],
    ['a limit of 501', { limit: 501 }, 'limit'],
    ['no statuses', { statuses: [] }, 'statuses'],
    ['an unknown status', { statuses: ['gone' as 'active'] }, 'statuses[0]'],
  ])('refuses %s', async (_label, query, field) => {
    const error = errorOf(await harness().listOperators.execute(query));
    expect(error.code === 'OPS.VALIDATION_FAILED' && error.issues.map((i) => i.field)).toEqual([field]);
  });
});

describe('UpdateOperator', () => {
  it('updates fields, bumps the version and writes an updated event naming them', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    h.clock.advance(60_000);
    const result = valueOf(await h.updateOperator.execute({ operatorId: roshan.id, patch: { name: 'Roshan TDCA' } }));
    expect(result).toMatchObject({ changedFields: ['name'], operator: { name: 'Roshan TDCA', version: 2, updatedAt: '2026-04-18T12:01:00.000Z' } });
    expect(h.outbox.events.at(-1)).toMatchObject({ type: OPS_EVENT_TYPES.operatorChanged, occurredAt: '2026-04-18T12:01:00.000Z', data: { change: 'updated', changedFields: ['name'] } });
  });

  it('writes nothing when the patch changes nothing', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    const result = valueOf(await h.updateOperator.execute({ operatorId: roshan.id, patch: { name: 'Roshan' } }));
    expect([result.changedFields, result.operator.version, h.outbox.events.length]).toEqual([[], 1, 1]);
  });

  it('suspends and resumes an operator', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    valueOf(await h.updateOperator.execute({ operatorId: roshan.id, patch: { status: 'suspended' } }));
    const resumed = valueOf(await h.updateOperator.execute({ operatorId: roshan.id, patch: { status: 'active' } }));
    expect([resumed.operator.status, resumed.operator.version]).toEqual(['active', 3]);
  });

  it('refuses a stale expected version', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    valueOf(await h.updateOperator.execute({ operatorId: roshan.id, patch: { name: 'A' } }));
    const error = errorOf(await h.updateOperator.execute({ operatorId: roshan.id, expectedVersion: 1, patch: { name: 'B' } }));
    expect(error).toMatchObject({ code: 'OPS.VERSION_CONFLICT', expectedVersion: 1, actualVersion: 2 });
  });

  it('applies with the current expected version', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    expect((await h.updateOperator.execute({ operatorId: roshan.id, expectedVersion: 1, patch: { name: 'B' } })).ok).toBe(true);
  });

  it('refuses a new code that a live operator has', async () => {
    const h = harness();
    await givenOperator(h, 'roshan');
    const awcc = await givenOperator(h, 'awcc');
    expect(errorOf(await h.updateOperator.execute({ operatorId: awcc.id, patch: { code: 'ROSHAN' } }))).toMatchObject({ code: 'OPS.OPERATOR_DUPLICATE', field: 'code' });
  });

  it('refuses a new MCC/MNC that a live operator has', async () => {
    const h = harness();
    await givenOperator(h, 'roshan');
    const awcc = await givenOperator(h, 'awcc');
    expect(errorOf(await h.updateOperator.execute({ operatorId: awcc.id, patch: { mnc: '20' } }))).toMatchObject({ field: 'mccMnc' });
  });

  it('refuses an invalid patch naming the field', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    expect(errorOf(await h.updateOperator.execute({ operatorId: roshan.id, patch: { prefixes: ['07'] } }))).toMatchObject({ issues: [{ field: 'prefixes[0]' }] });
  });

  it('refuses to change a deleted operator', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    valueOf(await h.softDeleteOperator.execute({ operatorId: roshan.id }));
    expect(errorOf(await h.updateOperator.execute({ operatorId: roshan.id, patch: { name: 'x' } })).code).toBe('OPS.OPERATOR_DELETED');
  });

  it('answers OPS.OPERATOR_NOT_FOUND for an unknown operator', async () => {
    expect(errorOf(await harness().updateOperator.execute({ operatorId: 'nope', patch: { name: 'x' } })).code).toBe('OPS.OPERATOR_NOT_FOUND');
  });

  it('re-reads and re-applies when a concurrent write lands between read and write', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    const realUpdate = h.operators.update.bind(h.operators);
    let interfered = false;
    h.operators.update = async (operator, expectedVersion, events) => {
      if (!interfered) {
        interfered = true;
        const current = (await h.operators.findById(operator.id)) as Operator;
        await realUpdate({ ...current, prefixes: ['9379'], version: current.version + 1 }, current.version, []);
      }
      return realUpdate(operator, expectedVersion, events);
    };
    const result = valueOf(await h.updateOperator.execute({ operatorId: roshan.id, patch: { name: 'Roshan TDCA' } }));
    expect(result.operator).toMatchObject({ name: 'Roshan TDCA', prefixes: ['9379'], version: 3 });
  });

  it(`gives up with OPS.VERSION_CONFLICT after ${MAX_WRITE_ATTEMPTS} contended attempts`, async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    let attempts = 0;
    h.operators.update = async () => {
      attempts += 1;
      await Promise.resolve();
      return { kind: 'version_conflict', actualVersion: 99 };
    };
    const error = errorOf(await h.updateOperator.execute({ operatorId: roshan.id, patch: { name: 'x' } }));
    expect([error.code, attempts]).toEqual(['OPS.VERSION_CONFLICT', MAX_WRITE_ATTEMPTS]);
  });
});

describe('SoftDeleteOperator', () => {
  it('marks the operator deleted and writes an operator-deleted event', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    const result = valueOf(await h.softDeleteOperator.execute({ operatorId: roshan.id }));
    expect(result).toEqual({ operatorId: roshan.id, deletedAt: '2026-04-18T12:00:00.000Z', alreadyDeleted: false, storeCleanup: 'done' });
    expect(h.outbox.events.at(-1)).toMatchObject({
      type: OPS_EVENT_TYPES.operatorDeleted,
      data: { operatorId: roshan.id, code: 'ROSHAN', mcc: '412', mnc: '20', version: 2, deletedAt: '2026-04-18T12:00:00.000Z' },
    });
  });

  it('removes the operator’s bind passwords from the secret store', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan', { connections: [{ ...connection(), password: 'pw' }] });
    valueOf(await h.softDeleteOperator.execute({ operatorId: roshan.id }));
    expect(h.store.paths()).toEqual([]);
  });

  it('deletes the record even when the secret store is down, reporting the cleanup as pending', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan', { connections: [{ ...connection(), password: 'pw' }] });
    h.store.down();
    expect(valueOf(await h.softDeleteOperator.execute({ operatorId: roshan.id })).storeCleanup).toBe('pending');
    expect(valueOf(await h.getOperator.execute(roshan.id)).status).toBe('deleted');
  });

  it('finishes a pending cleanup when the delete is retried', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan', { connections: [{ ...connection(), password: 'pw' }] });
    h.store.down();
    valueOf(await h.softDeleteOperator.execute({ operatorId: roshan.id }));
    h.store.up();
    const retry = valueOf(await h.softDeleteOperator.execute({ operatorId: roshan.id }));
    expect([retry.alreadyDeleted, retry.storeCleanup, h.store.paths()]).toEqual([true, 'done', []]);
  });

  it('is harmless when repeated: no second event', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    valueOf(await h.softDeleteOperator.execute({ operatorId: roshan.id }));
    h.clock.advance(1000);
    const again = valueOf(await h.softDeleteOperator.execute({ operatorId: roshan.id }));
    expect([again.alreadyDeleted, again.deletedAt]).toEqual([true, '2026-04-18T12:00:00.000Z']);
    expect(h.outbox.ofType(OPS_EVENT_TYPES.operatorDeleted)).toHaveLength(1);
  });

  it('is refused while a routing rule routes to the operator', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    valueOf(await h.replaceRoutingRules.execute({ expectedVersion: 0, rules: [{ id: 'r1', prefixes: ['9379'], operatorId: roshan.id, priority: 1, weight: 1 }] }));
    expect(errorOf(await h.softDeleteOperator.execute({ operatorId: roshan.id }))).toMatchObject({ code: 'OPS.OPERATOR_IN_USE', ruleIds: ['r1'] });
  });

  it('is refused while a routing rule lists the operator for failover', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    const awcc = await givenOperator(h, 'awcc');
    valueOf(await h.replaceRoutingRules.execute({ expectedVersion: 0, rules: [{ id: 'r1', prefixes: ['9379'], operatorId: roshan.id, priority: 1, weight: 1, failover: [awcc.id] }] }));
    expect(errorOf(await h.softDeleteOperator.execute({ operatorId: awcc.id }))).toMatchObject({ code: 'OPS.OPERATOR_IN_USE', ruleIds: ['r1'] });
  });

  it('refuses a stale expected version', async () => {
    const h = harness();
    const roshan = await givenOperator(h, 'roshan');
    valueOf(await h.updateOperator.execute({ operatorId: roshan.id, patch: { name: 'x' } }));
    expect(errorOf(await h.softDeleteOperator.execute({ operatorId: roshan.id, expectedVersion: 1 })).code).toBe('OPS.VERSION_CONFLICT');
  });

  it('answers OPS.OPERATOR_NOT_FOUND for an unknown operator', async () => {
    expect(errorOf(await harness().softDeleteOperator.execute({ operatorId: 'nope' })).code).toBe('OPS.OPERATOR_NOT_FOUND');
  });
});
