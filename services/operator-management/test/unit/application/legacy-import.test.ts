import { describe, expect, it } from 'vitest';
import { OPS_EVENT_TYPES } from '../../../src/index.js';
import { errorOf, givenOperator, harness, valueOf } from '../../support/harness.js';

const HEADER = 'code,name,kind,mcc,mnc,country,status,prefixes,host,port,system_id,system_type,bind_mode,tls,window_size,throughput_limit,password';
const EXPORT_CSV = [
  HEADER,
  'ROSHAN,Roshan,mno,412,20,AF,active,9379;9372,smsc1.roshan.example,2775,ROSH1,,trx,yes,50,200,rPw1',
  'ROSHAN,,,,,,,,smsc2.roshan.example,2775,ROSH2,,trx,yes,50,200,rPw2',
  'AWCC,Afghan Wireless,mno,412,01,AF,,9370;9371,smsc.awcc.example,2775,AWCC1,,tx,no,20,100,aPw1',
  'MTN-AF,MTN Afghanistan,mno,412,40,AF,suspended,9377;9376,smsc.mtn.example,2776,MTN1,VMA,trx,yes,30,150,',
  'BROKEN,Broken,mno,999,1,AF,,,smsc.broken.example,2775,BRK,,trx,,,,',
].join('\n');

describe('PlanLegacyImport (dry run)', () => {
  it('plans creations and reports invalid rows, writing nothing and never showing a password', async () => {
    const h = harness();
    const plan = valueOf(await h.planLegacyImport.execute({ content: EXPORT_CSV }));
    expect(plan.summary).toEqual({ create: 3, update: 0, unchanged: 0, invalid: 1 });
    expect(plan.entries.find((e) => e.code === 'BROKEN')).toMatchObject({ action: 'invalid', source: 'line 6', issues: [{ field: 'mcc' }, { field: 'mnc' }] });
    expect(plan.entries.find((e) => e.code === 'ROSHAN')).toMatchObject({ action: 'create', source: 'lines 2, 3', operatorId: null });
    expect([h.outbox.events, h.store.paths()]).toEqual([[], []]);
    expect(JSON.stringify(plan)).not.toMatch(/rPw1|rPw2|aPw1/);
  });

  it('plans updates against the operators that exist', async () => {
    const h = harness();
    const awcc = await givenOperator(h, 'awcc', { name: 'AWCC', connections: [{ host: 'smsc.awcc.example', port: 2775, systemId: 'AWCC1', systemType: '', bindMode: 'transmitter', tls: false, windowSize: 20, throughputLimit: 100 }] });
    const plan = valueOf(await h.planLegacyImport.execute({ content: EXPORT_CSV }));
    expect(plan.entries.find((e) => e.code === 'AWCC')).toEqual({
      code: 'AWCC',
      source: 'line 4',
      action: 'update',
      operatorId: awcc.id,
      changes: ['name', `connections[${awcc.connections[0]?.id}].authentication`],
      issues: [],
    });
  });

  it('refuses an export it cannot read at all', async () => {
    expect(errorOf(await harness().planLegacyImport.execute({ content: '{"operators": 3}' })).code).toBe('OPS.LEGACY_EXPORT_MALFORMED');
  });
});

describe('ApplyLegacyImport', () => {
  it('creates operators, stores their passwords in the secret store only, and skips invalid rows', async () => {
    const h = harness();
    const report = valueOf(await h.applyLegacyImport.execute({ content: EXPORT_CSV }));
    expect(report.summary).toEqual({ create: 3, update: 0, unchanged: 0, invalid: 1, failed: 0 });
    expect(report.entries.map((e) => [e.code, e.outcome])).toEqual([
      ['ROSHAN', 'applied'],
      ['AWCC', 'applied'],
      ['MTN-AF', 'applied'],
      ['BROKEN', 'skipped'],
    ]);
    const operators = valueOf(await h.listOperators.execute()).items;
    expect(operators.map((o) => [o.code, o.status, o.connections.length])).toEqual([
      ['ROSHAN', 'active', 2],
      ['AWCC', 'active', 1],
      ['MTN-AF', 'suspended', 1],
    ]);
    expect(h.store.paths()).toHaveLength(3);
    const roshan = operators[0];
    expect(await h.store.get(`operators/${roshan?.id}/connections/${roshan?.connections[1]?.id}`)).toEqual({ password: 'rPw2' });
    expect(JSON.stringify([report, operators, h.outbox.events])).not.toMatch(/rPw1|rPw2|aPw1/);
  });

  it('is idempotent: a second run leaves every operator unchanged', async () => {
    const h = harness();
    valueOf(await h.applyLegacyImport.execute({ content: EXPORT_CSV }));
    const eventsAfterFirst = h.outbox.events.length;
    const second = valueOf(await h.applyLegacyImport.execute({ content: EXPORT_CSV }));
    expect(second.summary).toEqual({ create: 0, update: 0, unchanged: 3, invalid: 1, failed: 0 });
    expect(h.outbox.events.length).toBe(eventsAfterFirst);
  });

  it('updates what differs: fields, connection settings, new connections and missing passwords', async () => {
    const h = harness();
    const awcc = await givenOperator(h, 'awcc', { name: 'AWCC', connections: [{ host: 'smsc.awcc.example', port: 2775, systemId: 'AWCC1', systemType: '', bindMode: 'transmitter', tls: false, windowSize: 5, throughputLimit: 100 }] });
    const content = `${HEADER}\nAWCC,Afghan Wireless,mno,412,01,AF,,9370;9371,smsc.awcc.example,2775,AWCC1,,tx,no,20,100,aPw1\nAWCC,,,,,,,,smsc2.awcc.example,2775,AWCC2,,rx,no,20,100,aPw2\n`;
    const report = valueOf(await h.applyLegacyImport.execute({ content }));
    expect(report.entries[0]).toMatchObject({ action: 'update', outcome: 'applied' });
    const after = valueOf(await h.getOperator.execute(awcc.id));
    expect([after.name, after.connections[0]?.windowSize, after.connections.length]).toEqual(['Afghan Wireless', 20, 2]);
    expect(after.connections.map((c) => c.authentication.configured)).toEqual([true, true]);
    expect(valueOf(await h.applyLegacyImport.execute({ content })).summary.unchanged).toBe(1);
  });

  it('reports an entry that fails and goes on with the others; a later run finishes it', async () => {
    const h = harness();
    h.store.down();
    const first = valueOf(await h.applyLegacyImport.execute({ content: EXPORT_CSV }));
    expect(first.entries.map((e) => [e.code, e.outcome, e.error?.code ?? null])).toEqual([
      ['ROSHAN', 'failed', 'OPS.SECRET_STORE_UNAVAILABLE'],
      ['AWCC', 'failed', 'OPS.SECRET_STORE_UNAVAILABLE'],
      ['MTN-AF', 'applied', null],
      ['BROKEN', 'skipped', null],
    ]);
    expect(first.summary.failed).toBe(2);
    h.store.up();
    const second = valueOf(await h.applyLegacyImport.execute({ content: EXPORT_CSV }));
    expect(second.summary).toEqual({ create: 2, update: 0, unchanged: 1, invalid: 1, failed: 0 });
  });

  it('reports an update whose password step fails, keeping the steps already done', async () => {
    const h = harness();
    const awcc = await givenOperator(h, 'awcc', { name: 'AWCC', connections: [{ host: 'smsc.awcc.example', port: 2775, systemId: 'AWCC1', systemType: '', bindMode: 'transmitter', tls: false, windowSize: 20, throughputLimit: 100 }] });
    h.store.down();
    const content = `${HEADER}\nAWCC,Afghan Wireless,mno,412,01,AF,,9370;9371,smsc.awcc.example,2775,AWCC1,,tx,no,20,100,aPw1\n`;
    const report = valueOf(await h.applyLegacyImport.execute({ content }));
    expect(report.entries[0]).toMatchObject({ outcome: 'failed', error: { code: 'OPS.SECRET_STORE_UNAVAILABLE' } });
    expect(valueOf(await h.getOperator.execute(awcc.id)).name).toBe('Afghan Wireless');
  });

  it('imports the JSON format', async () => {
    const h = harness();
    const content = JSON.stringify({
      operators: [{ code: 'SALAAM', name: 'Salaam', mcc: '412', mnc: '80', prefixes: ['9374'], connections: [{ host: 'smsc.salaam.example', port: 2775, systemId: 'SAL1', bindMode: 'transceiver', password: 'sPw' }] }],
    });
    const report = valueOf(await h.applyLegacyImport.execute({ content }));
    expect(report.summary.create).toBe(1);
    expect(h.outbox.ofType(OPS_EVENT_TYPES.operatorChanged)).toHaveLength(1);
  });

  it('refuses an export it cannot read at all', async () => {
    expect(errorOf(await harness().applyLegacyImport.execute({ content: 'code\n', format: 'csv' })).code).toBe('OPS.LEGACY_EXPORT_MALFORMED');
  });
});
