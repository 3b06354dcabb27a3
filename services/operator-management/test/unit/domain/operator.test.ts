import { describe, expect, it } from 'vitest';
import {
  STATUS_TRANSITIONS,
  addConnection,
  canTransition,
  createOperator,
  recordAuthentication,
  removeConnection,
  softDeleteOperator,
  updateConnection,
  updateOperator,
  type Operator,
  type OperatorDraft,
  type OperatorStatus,
} from '../../../src/index.js';
import { connection, errorOf, valueOf } from '../../support/harness.js';

const now = new Date('2026-04-18T12:00:00.000Z');
const later = new Date('2026-04-18T13:00:00.000Z');

const draft = (overrides: Partial<OperatorDraft> = {}): OperatorDraft => ({
  code: 'ROSHAN',
  name: 'Roshan',
  kind: 'mno',
  mcc: '412',
  mnc: '20',
  country: 'AF',
  prefixes: ['9379', '9372'],
  connections: [connection()],
  ...overrides,
});

const create = (overrides: Partial<OperatorDraft> = {}, connectionIds = ['c-1']): Operator =>
  valueOf(createOperator(draft(overrides), { operatorId: 'op-1', connectionIds }, now));

const fieldsOf = (result: { ok: boolean; error?: { code: string; issues?: readonly { field: string }[] } }): string[] =>
  (result.error?.issues ?? []).map((i) => i.field);

describe('createOperator', () => {
  it('creates an active operator at version 1 with sorted prefixes and no stored password', () => {
    const operator = create();
    expect(operator).toMatchObject({ id: 'op-1', status: 'active', version: 1, prefixes: ['9372', '9379'], deletedAt: null });
    expect(operator.connections[0]).toMatchObject({ id: 'c-1', authentication: null });
  });

  it('normalises the code and country to upper case and trims the name', () => {
    const operator = create({ code: ' mtn-af ', country: 'af', name: '  MTN  ' });
    expect([operator.code, operator.country, operator.name]).toEqual(['MTN-AF', 'AF', 'MTN']);
  });

  it('lower-cases connection hosts and trims system ids', () => {
    const operator = create({ connections: [connection({ host: 'SMSC.Roshan.Example', systemId: ' ROSH ' })] });
    expect(operator.connections[0]).toMatchObject({ host: 'smsc.roshan.example', systemId: 'ROSH' });
  });

  it('can start suspended', () => {
    expect(create({ status: 'suspended' }).status).toBe('suspended');
  });

  it('refuses an initial status of deleted', () => {
    const result = createOperator(draft({ status: 'deleted' as 'active' }), { operatorId: 'op-1', connectionIds: ['c-1'] }, now);
    expect(fieldsOf(result)).toEqual(['status']);
  });

  it.each([
    ['a code that starts with a digit', { code: '1ROSHAN' }, 'code'],
    ['a one-letter code', { code: 'R' }, 'code'],
    ['a code with spaces', { code: 'ROS HAN' }, 'code'],
    ['an empty name', { name: '   ' }, 'name'],
    ['a name of 101 characters', { name: 'x'.repeat(101) }, 'name'],
    ['an unknown kind', { kind: 'satellite' as 'mno' }, 'kind'],
    ['a two-digit MCC', { mcc: '41' }, 'mcc'],
    ['an MCC that is not Afghanistan for an Afghan operator', { mcc: '310' }, 'mcc'],
    ['a one-digit MNC', { mnc: '2' }, 'mnc'],
    ['a four-digit MNC', { mnc: '2000' }, 'mnc'],
    ['an MNO without MCC and MNC', { mcc: null, mnc: null }, 'mcc'],
    ['an MNC without an MCC', { mcc: null }, 'mcc'],
    ['an MCC without an MNC', { mnc: '' }, 'mnc'],
    ['a country that is not alpha-2', { country: 'AFG' }, 'country'],
    ['a prefix with a plus', { prefixes: ['+9379'] }, 'prefixes[0]'],
    ['a prefix with a leading zero', { prefixes: ['079'] }, 'prefixes[0]'],
    ['a prefix of 16 digits', { prefixes: ['9'.repeat(16)] }, 'prefixes[0]'],
    ['a repeated prefix', { prefixes: ['9379', '9379'] }, 'prefixes[1]'],
    ['no connection', { connections: [] }, 'connections'],
  ])('refuses %s, naming the field', (_label, overrides, field) => {
    const ids = (overrides as Partial<OperatorDraft>).connections?.length === 0 ? [] : ['c-1'];
    const result = createOperator(draft(overrides), { operatorId: 'op-1', connectionIds: ids }, now);
    expect(errorOf(result).code).toBe('OPS.VALIDATION_FAILED');
    expect(fieldsOf(result)).toContain(field);
  });

  it('refuses more than 1000 prefixes', () => {
    const prefixes = Array.from({ length: 1001 }, (_, i) => String(930000 + i));
    expect(fieldsOf(createOperator(draft({ prefixes }), { operatorId: 'op-1', connectionIds: ['c-1'] }, now))).toContain('prefixes');
  });

  it('accepts an aggregator link without MCC and MNC', () => {
    expect(create({ kind: 'aggregator', code: 'HUB-1', mcc: null, mnc: null, country: 'AE' }).mcc).toBeNull();
  });

  it('accepts any three-digit MCC for a country it has no MCC list for', () => {
    expect(create({ kind: 'aggregator', code: 'HUB-1', mcc: '424', mnc: '02', country: 'AE' }).mcc).toBe('424');
  });

  it('refuses two connections with the same host, port and system id', () => {
    const result = createOperator(draft({ connections: [connection(), connection({ windowSize: 5 })] }), { operatorId: 'op-1', connectionIds: ['c-1', 'c-2'] }, now);
    expect(fieldsOf(result)).toEqual(['connections[1]']);
  });

  it('refuses more than 64 connections', () => {
    const connections = Array.from({ length: 65 }, (_, i) => connection({ port: 3000 + i }));
    const ids = connections.map((_, i) => `c-${i}`);
    expect(fieldsOf(createOperator(draft({ connections }), { operatorId: 'op-1', connectionIds: ids }, now))).toContain('connections');
  });

  it('reports every invalid connection field with its index', () => {
    const bad = connection({ host: 'bad host', port: 0, systemId: '', systemType: 'x'.repeat(13), bindMode: 'both' as 'receiver', tls: 'yes' as unknown as boolean, windowSize: 0, throughputLimit: 10_001 });
    const result = createOperator(draft({ connections: [bad] }), { operatorId: 'op-1', connectionIds: ['c-1'] }, now);
    expect(fieldsOf(result)).toEqual([
      'connections[0].host',
      'connections[0].port',
      'connections[0].systemId',
      'connections[0].systemType',
      'connections[0].bindMode',
      'connections[0].tls',
      'connections[0].windowSize',
      'connections[0].throughputLimit',
    ]);
  });

  it('throws when the caller gives the wrong number of connection ids (a programming error)', () => {
    expect(() => createOperator(draft(), { operatorId: 'op-1', connectionIds: [] }, now)).toThrow(/one connection id per connection/);
  });
});

describe('status transitions', () => {
  const all: OperatorStatus[] = ['active', 'suspended', 'deleted'];
  const allowed: [OperatorStatus, OperatorStatus][] = [
    ['active', 'suspended'],
    ['active', 'deleted'],
    ['suspended', 'active'],
    ['suspended', 'deleted'],
  ];

  it.each(all.flatMap((from) => all.filter((to) => to !== from).map((to) => [from, to] as const)))(
    'from %s to %s is allowed only when the table says so',
    (from, to) => {
      expect(canTransition(from, to)).toBe(allowed.some(([f, t]) => f === from && t === to));
    },
  );

  it('has no transition out of deleted', () => {
    expect(STATUS_TRANSITIONS.deleted).toEqual([]);
  });
});

describe('updateOperator', () => {
  it('changes the given fields, bumps the version and names what changed', () => {
    const change = valueOf(updateOperator(create(), { name: 'Roshan TDCA', prefixes: ['9379'] }, later));
    expect(change.changedFields).toEqual(['name', 'prefixes']);
    expect(change.operator).toMatchObject({ name: 'Roshan TDCA', prefixes: ['9379'], version: 2, updatedAt: later });
  });

  it('changes nothing and keeps the version when the patch repeats current values', () => {
    const operator = create();
    const change = valueOf(updateOperator(operator, { name: 'Roshan', prefixes: ['9379', '9372'], mcc: '412' }, later));
    expect(change).toEqual({ operator, changedFields: [] });
  });

  it('suspends an active operator', () => {
    const change = valueOf(updateOperator(create(), { status: 'suspended' }, later));
    expect([change.operator.status, change.changedFields]).toEqual(['suspended', ['status']]);
  });

  it('resumes a suspended operator', () => {
    const suspended = valueOf(updateOperator(create(), { status: 'suspended' }, later)).operator;
    expect(valueOf(updateOperator(suspended, { status: 'active' }, later)).operator.status).toBe('active');
  });

  it('refuses deleted as a status (deletion is its own operation)', () => {
    const result = updateOperator(create(), { status: 'deleted' as 'active' }, later);
    expect(fieldsOf(result)).toEqual(['status']);
  });

  it('refuses any change to a deleted operator', () => {
    const deleted = softDeleteOperator(create(), later).operator;
    expect(errorOf(updateOperator(deleted, { name: 'x' }, later)).code).toBe('OPS.OPERATOR_DELETED');
  });

  it('validates the merged result, naming the field', () => {
    expect(fieldsOf(updateOperator(create(), { mnc: '7' }, later))).toEqual(['mnc']);
  });

  it('turns an MNO into an aggregator without MCC/MNC', () => {
    const change = valueOf(updateOperator(create(), { kind: 'aggregator', mcc: null, mnc: null }, later));
    expect(change.changedFields).toEqual(['kind', 'mcc', 'mnc']);
  });

  it('changes the code', () => {
    expect(valueOf(updateOperator(create(), { code: 'roshan-2' }, later)).operator.code).toBe('ROSHAN-2');
  });

  it('changes the country together with the MCC', () => {
    const change = valueOf(updateOperator(create({ kind: 'aggregator', code: 'HUB', mcc: null, mnc: null }), { country: 'AE', mcc: '424', mnc: '02' }, later));
    expect(change.changedFields).toEqual(['mcc', 'mnc', 'country']);
  });
});

describe('connections', () => {
  it('adds a connection and bumps the version', () => {
    const next = valueOf(addConnection(create(), 'c-2', connection({ port: 2776 }), later));
    expect([next.connections.map((c) => c.id), next.version]).toEqual([['c-1', 'c-2'], 2]);
  });

  it('adds a connection already carrying its authentication version', () => {
    const next = valueOf(addConnection(create(), 'c-2', connection({ port: 2776 }), later, { version: 1, changedAt: later }));
    expect(next.connections[1]?.authentication).toEqual({ version: 1, changedAt: later });
  });

  it('refuses a connection that duplicates host, port and system id', () => {
    const error = errorOf(addConnection(create(), 'c-2', connection({ host: 'SMSC1.roshan.example' }), later));
    expect(error).toMatchObject({ code: 'OPS.CONNECTION_DUPLICATE', existingConnectionId: 'c-1' });
  });

  it('refuses an invalid connection', () => {
    expect(fieldsOf(addConnection(create(), 'c-2', connection({ port: 70000 }), later))).toEqual(['port']);
  });

  it('refuses a 65th connection', () => {
    let operator = create();
    for (let i = 2; i <= 64; i += 1) operator = valueOf(addConnection(operator, `c-${i}`, connection({ port: 3000 + i }), later));
    expect(fieldsOf(addConnection(operator, 'c-65', connection({ port: 4000 }), later))).toEqual(['connections']);
  });

  it('refuses to add to a deleted operator', () => {
    expect(errorOf(addConnection(softDeleteOperator(create(), later).operator, 'c-2', connection({ port: 1 }), later)).code).toBe('OPS.OPERATOR_DELETED');
  });

  it('updates settings and names the changed ones', () => {
    const change = valueOf(updateConnection(create(), 'c-1', { windowSize: 10, tls: false }, later));
    expect(change.changedFields).toEqual(['connections[c-1].tls', 'connections[c-1].windowSize']);
    expect(change.operator.connections[0]).toMatchObject({ windowSize: 10, tls: false });
  });

  it('keeps the authentication when settings change', () => {
    const authenticated = valueOf(recordAuthentication(create(), 'c-1', 3, now));
    const change = valueOf(updateConnection(authenticated, 'c-1', { port: 2776 }, later));
    expect(change.operator.connections[0]?.authentication?.version).toBe(3);
  });

  it('changes nothing when the settings are the same', () => {
    const operator = create();
    expect(valueOf(updateConnection(operator, 'c-1', { host: 'SMSC1.ROSHAN.EXAMPLE' }, later))).toEqual({ operator, changedFields: [] });
  });

  it('refuses to update an unknown connection', () => {
    expect(errorOf(updateConnection(create(), 'c-9', { port: 1 }, later)).code).toBe('OPS.CONNECTION_NOT_FOUND');
  });

  it('refuses an update that makes two connections alike', () => {
    const two = valueOf(addConnection(create(), 'c-2', connection({ port: 2776 }), later));
    expect(errorOf(updateConnection(two, 'c-2', { port: 2775 }, later)).code).toBe('OPS.CONNECTION_DUPLICATE');
  });

  it('refuses an invalid update', () => {
    expect(fieldsOf(updateConnection(create(), 'c-1', { throughputLimit: 0 }, later))).toEqual(['throughputLimit']);
  });

  it('refuses to update a connection of a deleted operator', () => {
    expect(errorOf(updateConnection(softDeleteOperator(create(), later).operator, 'c-1', { port: 1 }, later)).code).toBe('OPS.OPERATOR_DELETED');
  });

  it('removes a connection when another remains', () => {
    const two = valueOf(addConnection(create(), 'c-2', connection({ port: 2776 }), later));
    expect(valueOf(removeConnection(two, 'c-1', later)).connections.map((c) => c.id)).toEqual(['c-2']);
  });

  it('refuses to remove the last connection', () => {
    expect(errorOf(removeConnection(create(), 'c-1', later)).code).toBe('OPS.LAST_CONNECTION');
  });

  it('refuses to remove an unknown connection', () => {
    expect(errorOf(removeConnection(create(), 'c-9', later)).code).toBe('OPS.CONNECTION_NOT_FOUND');
  });

  it('refuses to remove a connection of a deleted operator', () => {
    expect(errorOf(removeConnection(softDeleteOperator(create(), later).operator, 'c-1', later)).code).toBe('OPS.OPERATOR_DELETED');
  });
});

describe('recordAuthentication', () => {
  it('records the secret-store version and when it changed', () => {
    const next = valueOf(recordAuthentication(create(), 'c-1', 2, later));
    expect([next.connections[0]?.authentication, next.version]).toEqual([{ version: 2, changedAt: later }, 2]);
  });

  it('refuses an unknown connection', () => {
    expect(errorOf(recordAuthentication(create(), 'c-9', 1, later)).code).toBe('OPS.CONNECTION_NOT_FOUND');
  });

  it('refuses a deleted operator', () => {
    expect(errorOf(recordAuthentication(softDeleteOperator(create(), later).operator, 'c-1', 1, later)).code).toBe('OPS.OPERATOR_DELETED');
  });
});

describe('softDeleteOperator', () => {
  it('marks the operator deleted and keeps its data', () => {
    const { operator, alreadyDeleted } = softDeleteOperator(create(), later);
    expect(alreadyDeleted).toBe(false);
    expect(operator).toMatchObject({ status: 'deleted', deletedAt: later, version: 2, code: 'ROSHAN', connections: [{ id: 'c-1' }] });
  });

  it('changes nothing when the operator is already deleted', () => {
    const deleted = softDeleteOperator(create(), later).operator;
    expect(softDeleteOperator(deleted, new Date('2026-05-01T00:00:00Z'))).toEqual({ operator: deleted, alreadyDeleted: true });
  });

  it('deletes a suspended operator', () => {
    const suspended = valueOf(updateOperator(create(), { status: 'suspended' }, later)).operator;
    expect(softDeleteOperator(suspended, later).operator.status).toBe('deleted');
  });
});
