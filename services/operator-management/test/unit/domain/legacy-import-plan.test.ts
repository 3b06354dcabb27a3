import { describe, expect, it } from 'vitest';
import {
  createOperator,
  planLegacyImport,
  recordAuthentication,
  softDeleteOperator,
  type LegacyOperatorRecord,
  type LegacyPlanEntry,
  type Operator,
} from '../../../src/index.js';
import { connection, valueOf } from '../../support/harness.js';

const now = new Date('2026-04-18T12:00:00.000Z');

const record = (overrides: Partial<LegacyOperatorRecord> = {}): LegacyOperatorRecord => ({
  source: 'line 2',
  code: 'ROSHAN',
  name: 'Roshan',
  kind: 'mno',
  mcc: '412',
  mnc: '20',
  country: 'AF',
  status: null,
  prefixes: ['9379', '9372'],
  connections: [{ source: 'line 2', settings: connection(), password: 'pw1' }],
  ...overrides,
});

const roshan = (): Operator =>
  valueOf(
    createOperator(
      { code: 'ROSHAN', name: 'Roshan', kind: 'mno', mcc: '412', mnc: '20', country: 'AF', prefixes: ['9379', '9372'], connections: [connection()] },
      { operatorId: 'op-1', connectionIds: ['c-1'] },
      now,
    ),
  );

const changesOf = (entry: LegacyPlanEntry | undefined): readonly string[] => (entry && 'changes' in entry ? entry.changes : []);
const issuesOf = (entry: LegacyPlanEntry | undefined): string[] => (entry?.action === 'invalid' ? entry.issues.map((i) => i.field) : []);

const plan = (records: LegacyOperatorRecord[], existing: Operator[] = [], rejected = []) => planLegacyImport({ records, rejected }, existing);

describe('planLegacyImport', () => {
  it('plans to create an operator whose code is unknown, with its passwords kept aside', () => {
    const [entry] = plan([record()]);
    expect(entry).toMatchObject({
      action: 'create',
      code: 'ROSHAN',
      passwords: ['pw1'],
      changes: ['operator', 'connections[+smsc1.roshan.example:2775/ROSH_A2P]', 'connections[+smsc1.roshan.example:2775/ROSH_A2P].authentication'],
    });
  });

  it('plans no change for an operator that matches the export', () => {
    const existing = valueOf(recordAuthentication(roshan(), 'c-1', 1, now));
    expect(plan([record()], [existing])).toEqual([{ action: 'unchanged', code: 'ROSHAN', source: 'line 2', operatorId: 'op-1' }]);
  });

  it('matches the code case-insensitively', () => {
    const existing = valueOf(recordAuthentication(roshan(), 'c-1', 1, now));
    expect(plan([record({ code: 'roshan' })], [existing])[0]?.action).toBe('unchanged');
  });

  it('plans operator-level changes as a patch', () => {
    const [entry] = plan([record({ name: 'Roshan TDCA', prefixes: ['9379'], status: 'suspended', connections: [] })], [roshan()]);
    expect(entry).toMatchObject({
      action: 'update',
      operatorId: 'op-1',
      expectedVersion: 1,
      patch: { name: 'Roshan TDCA', prefixes: ['9379'], status: 'suspended' },
      changes: ['name', 'prefixes', 'status'],
    });
  });

  it('plans kind, MCC/MNC and country changes', () => {
    const [entry] = plan([record({ kind: 'aggregator', mcc: '424', mnc: '03', country: 'AE' })], [valueOf(recordAuthentication(roshan(), 'c-1', 1, now))]);
    expect(entry).toMatchObject({ action: 'update', patch: { kind: 'aggregator', mcc: '424', mnc: '03', country: 'AE' } });
  });

  it('plans a changed connection setting, matching the connection by host, port and system id', () => {
    const existing = valueOf(recordAuthentication(roshan(), 'c-1', 1, now));
    const [entry] = plan([record({ connections: [{ source: 'line 2', settings: connection({ windowSize: 10, host: 'SMSC1.roshan.example' }), password: null }] })], [existing]);
    expect(entry).toMatchObject({ action: 'update', connectionUpdates: [{ connectionId: 'c-1', patch: { windowSize: 10 } }], changes: ['connections[c-1].windowSize'] });
  });

  it('plans a new connection from the export', () => {
    const existing = valueOf(recordAuthentication(roshan(), 'c-1', 1, now));
    const extra = { source: 'line 3', settings: connection({ port: 2776 }), password: null };
    const [entry] = plan([record({ connections: [...record().connections, extra] })], [existing]);
    expect(entry).toMatchObject({ action: 'update', connectionsToAdd: [{ settings: { port: 2776 }, password: null }], changes: ['connections[+smsc1.roshan.example:2776/ROSH_A2P]'] });
  });

  it('plans a new connection with its password', () => {
    const extra = { source: 'line 3', settings: connection({ port: 2776 }), password: 'pw2' };
    const [entry] = plan([record({ connections: [extra] })], [roshan()]);
    expect(entry).toMatchObject({ connectionsToAdd: [{ password: 'pw2' }] });
    expect(changesOf(entry)).toContain('connections[+smsc1.roshan.example:2776/ROSH_A2P].authentication');
  });

  it('plans to store a password for a connection that has none', () => {
    const [entry] = plan([record()], [roshan()]);
    expect(entry).toMatchObject({ action: 'update', passwordsToStore: [{ connectionId: 'c-1', password: 'pw1' }], changes: ['connections[c-1].authentication'] });
  });

  it('never plans to overwrite a password that is already stored', () => {
    const existing = valueOf(recordAuthentication(roshan(), 'c-1', 4, now));
    expect(plan([record({ connections: [{ source: 'line 2', settings: connection(), password: 'other' }] })], [existing])[0]?.action).toBe('unchanged');
  });

  it('never plans to remove a connection the export does not list', () => {
    const existing = valueOf(recordAuthentication(roshan(), 'c-1', 1, now));
    expect(plan([record({ connections: [] })], [existing])[0]?.action).toBe('unchanged');
  });

  it('marks a new operator without connections invalid', () => {
    expect(plan([record({ connections: [] })])[0]).toMatchObject({ action: 'invalid', issues: [{ field: 'connections' }] });
  });

  it('plans to create again an operator whose namesake was deleted', () => {
    const deleted = softDeleteOperator(roshan(), now).operator;
    expect(plan([record()], [deleted])[0]?.action).toBe('create');
  });

  it('marks a record invalid with the same field issues as the API', () => {
    const [entry] = plan([record({ mnc: '7', connections: [{ source: 'line 2', settings: connection({ port: 0 }), password: 'far too long' }] })]);
    expect(entry).toMatchObject({ action: 'invalid', code: 'ROSHAN' });
    expect(issuesOf(entry)).toEqual(['mnc', 'connections[0].port', 'connections[0].password']);
  });

  it('marks the second record with a code already in the file invalid', () => {
    const entries = plan([record(), record({ source: 'operators[1]', mnc: '21' })]);
    expect(entries.map((e) => e.action)).toEqual(['create', 'invalid']);
    expect(entries[1]).toMatchObject({ issues: [{ field: 'code', message: 'operator ROSHAN also appears at line 2' }] });
  });

  it('marks the second record with an MCC/MNC already in the file invalid', () => {
    const entries = plan([record(), record({ code: 'OTHER', source: 'line 3' })]);
    expect(entries[1]).toMatchObject({ action: 'invalid', issues: [{ field: 'mnc', message: 'MCC/MNC 412-20 also appears at line 2' }] });
  });

  it('marks a record whose MCC/MNC belongs to another live operator invalid', () => {
    const [entry] = plan([record({ code: 'ROSHAN-NEW' })], [roshan()]);
    expect(entry).toMatchObject({ action: 'invalid', issues: [{ field: 'mnc', message: 'MCC/MNC 412-20 belongs to operator ROSHAN (op-1)' }] });
  });

  it('passes rejected records through as invalid entries', () => {
    const rejected = [{ source: 'line 9', code: null, issues: [{ field: 'line 9', message: 'bad' }] }];
    expect(planLegacyImport({ records: [], rejected }, [])).toEqual([{ action: 'invalid', code: null, source: 'line 9', issues: rejected[0]?.issues }]);
  });

  it('plans against live aggregators that have no MCC/MNC', () => {
    const hub = valueOf(
      createOperator(
        { code: 'HUB', name: 'Hub', kind: 'aggregator', mcc: null, mnc: null, country: 'AE', prefixes: [], connections: [connection({ host: 'hub.example' })] },
        { operatorId: 'op-9', connectionIds: ['c-9'] },
        now,
      ),
    );
    expect(plan([record()], [hub])[0]?.action).toBe('create');
  });

  it('plans an aggregator without MCC/MNC', () => {
    expect(plan([record({ code: 'HUB', kind: 'aggregator', mcc: null, mnc: null, country: 'AE' })])[0]?.action).toBe('create');
  });
});
