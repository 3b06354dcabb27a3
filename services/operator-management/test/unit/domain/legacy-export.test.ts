import { describe, expect, it } from 'vitest';
import { detectLegacyFormat, parseLegacyExport } from '../../../src/index.js';
import { errorOf, valueOf } from '../../support/harness.js';

const HEADER = 'code,name,kind,mcc,mnc,country,status,prefixes,host,port,system_id,system_type,bind_mode,tls,window_size,throughput_limit,password';

describe('detectLegacyFormat', () => {
  it('reads a leading brace or bracket as JSON and anything else as CSV', () => {
    expect([detectLegacyFormat(' {"operators":[]}'), detectLegacyFormat('\uFEFF[]'), detectLegacyFormat('code,name')]).toEqual(['json', 'json', 'csv']);
  });
});

describe('parseLegacyExport: CSV', () => {
  it('groups rows by operator code into one record with one connection per row', () => {
    const csv = [
      HEADER,
      'roshan,Roshan,mno,412,20,AF,active,9379;9372,smsc1.roshan.example,2775,ROSH1,,trx,yes,50,200,s3cret',
      'ROSHAN,,,,,,,,smsc2.roshan.example,2775,ROSH2,,RX,no,,,',
    ].join('\n');
    const exported = valueOf(parseLegacyExport(csv));
    expect(exported.rejected).toEqual([]);
    expect(exported.records).toEqual([
      {
        source: 'lines 2, 3',
        code: 'ROSHAN',
        name: 'Roshan',
        kind: 'mno',
        mcc: '412',
        mnc: '20',
        country: 'AF',
        status: 'active',
        prefixes: ['9379', '9372'],
        connections: [
          {
            source: 'line 2',
            settings: { host: 'smsc1.roshan.example', port: 2775, systemId: 'ROSH1', systemType: '', bindMode: 'transceiver', tls: true, windowSize: 50, throughputLimit: 200 },
            password: 's3cret',
          },
          {
            source: 'line 3',
            settings: { host: 'smsc2.roshan.example', port: 2775, systemId: 'ROSH2', systemType: '', bindMode: 'receiver', tls: false, windowSize: 10, throughputLimit: 100 },
            password: null,
          },
        ],
      },
    ]);
  });

  it('applies the documented defaults when optional columns are absent', () => {
    const csv = 'code,name,mcc,mnc,host,port,system_id,bind_mode\nAWCC,AWCC,412,01,smsc.awcc.example,2775,AWCC1,transmitter\n';
    expect(valueOf(parseLegacyExport(csv)).records[0]).toMatchObject({
      kind: 'mno',
      country: 'AF',
      status: null,
      prefixes: [],
      connections: [{ settings: { systemType: '', tls: false, windowSize: 10, throughputLimit: 100 }, password: null }],
    });
  });

  it('accepts header names in any case and order', () => {
    const csv = 'SYSTEM_ID,Bind_Mode,port,host,mnc,mcc,name,code\nAWCC1,tx,2775,smsc.awcc.example,01,412,AWCC,awcc\n';
    expect(valueOf(parseLegacyExport(csv)).records[0]?.code).toBe('AWCC');
  });

  it('refuses the whole file when the header has an unknown or repeated column', () => {
    const error = errorOf(parseLegacyExport('code,name,mcc,mnc,host,port,system_id,bind_mode,sytem_type,name\n'));
    expect(error.code).toBe('OPS.LEGACY_EXPORT_MALFORMED');
    expect(error.issues.map((i) => i.message)).toEqual(['unknown column "sytem_type" (column 9)', 'column "name" appears twice']);
  });

  it('refuses the whole file when a required column is missing', () => {
    expect(errorOf(parseLegacyExport('code,name,mcc,mnc,host,port,system_id\n')).issues.map((i) => i.message)).toEqual(['missing column "bind_mode"']);
  });

  it('refuses an empty file', () => {
    expect(errorOf(parseLegacyExport('', 'csv')).detail).toBe('line 1: the file is empty; expected a header row');
  });

  it('refuses a file that is not CSV', () => {
    expect(errorOf(parseLegacyExport('code,"name\n', 'csv')).issues[0]?.field).toBe('line 1');
  });

  it('rejects a row with the wrong number of fields and keeps the others', () => {
    const csv = `${HEADER}\nAWCC,AWCC\nMTN-AF,MTN,mno,412,40,AF,,9377,smsc.mtn.example,2775,MTN1,,trx,,,,\n`;
    const exported = valueOf(parseLegacyExport(csv));
    expect(exported.records.map((r) => r.code)).toEqual(['MTN-AF']);
    expect(exported.rejected).toEqual([{ source: 'line 2', code: null, issues: [{ field: 'line 2', message: 'has 2 fields, the header has 17' }] }]);
  });

  it('rejects an operator whose rows disagree on an operator-level column', () => {
    const csv = `${HEADER}\nAWCC,AWCC,mno,412,01,AF,,,h1.example,1,A,,trx,,,,\nAWCC,Afghan Wireless,mno,412,01,AF,,,h2.example,1,A,,trx,,,,\n`;
    expect(valueOf(parseLegacyExport(csv)).rejected).toEqual([
      { source: 'lines 2, 3', code: 'AWCC', issues: [{ field: 'line 3.name', message: 'differs from line 2 for operator AWCC' }] },
    ]);
  });

  it.each([
    ['kind', 'AWCC,AWCC,satellite,412,01,AF,,,h.example,1,A,,trx,,,,', 'line 2.kind'],
    ['status', 'AWCC,AWCC,mno,412,01,AF,gone,,h.example,1,A,,trx,,,,', 'line 2.status'],
    ['port', 'AWCC,AWCC,mno,412,01,AF,,,h.example,27x5,A,,trx,,,,', 'line 2.port'],
    ['bind mode', 'AWCC,AWCC,mno,412,01,AF,,,h.example,1,A,,both,,,,', 'line 2.bind_mode'],
    ['tls', 'AWCC,AWCC,mno,412,01,AF,,,h.example,1,A,,trx,maybe,,,', 'line 2.tls'],
    ['window size', 'AWCC,AWCC,mno,412,01,AF,,,h.example,1,A,,trx,,-5,,', 'line 2.window_size'],
    ['missing port', 'AWCC,AWCC,mno,412,01,AF,,,h.example,,A,,trx,,,,', 'line 2.port'],
  ])('rejects an unreadable %s cell, naming line and column', (_label, row, field) => {
    const [rejected] = valueOf(parseLegacyExport(`${HEADER}\n${row}\n`)).rejected;
    expect(rejected?.issues.map((i) => i.field)).toEqual([field]);
  });
});

describe('parseLegacyExport: JSON', () => {
  const operator = {
    code: 'salaam',
    name: 'Salaam',
    mcc: '412',
    mnc: '80',
    prefixes: ['9374'],
    connections: [{ host: 'smsc.salaam.example', port: 2775, systemId: 'SAL1', bindMode: 'TRX', password: 'pw1' }],
  };

  it('reads an object with an operators array, applying defaults', () => {
    expect(valueOf(parseLegacyExport(JSON.stringify({ operators: [operator] }))).records).toEqual([
      {
        source: 'operators[0]',
        code: 'SALAAM',
        name: 'Salaam',
        kind: 'mno',
        mcc: '412',
        mnc: '80',
        country: 'AF',
        status: null,
        prefixes: ['9374'],
        connections: [
          {
            source: 'operators[0].connections[0]',
            settings: { host: 'smsc.salaam.example', port: 2775, systemId: 'SAL1', systemType: '', bindMode: 'transceiver', tls: false, windowSize: 10, throughputLimit: 100 },
            password: 'pw1',
          },
        ],
      },
    ]);
  });

  it('reads a bare array and every optional field', () => {
    const full = { ...operator, kind: 'aggregator', country: 'ae', status: 'Suspended', connections: [{ ...operator.connections[0], systemType: 'VMA', tls: true, windowSize: 5, throughputLimit: 9, password: null }] };
    expect(valueOf(parseLegacyExport(JSON.stringify([full]))).records[0]).toMatchObject({
      kind: 'aggregator',
      country: 'ae',
      status: 'suspended',
      connections: [{ settings: { systemType: 'VMA', tls: true, windowSize: 5, throughputLimit: 9 }, password: null }],
    });
  });

  it('reads an active status and a blank MNC as absent', () => {
    expect(valueOf(parseLegacyExport(JSON.stringify([{ ...operator, status: 'active', mnc: ' ' }]))).records[0]).toMatchObject({ status: 'active', mnc: null });
  });

  it('refuses text that is not JSON', () => {
    expect(errorOf(parseLegacyExport('{"operators": [', 'json')).issues[0]?.message).toMatch(/^not valid JSON/);
  });

  it('refuses JSON that is neither an array nor an object with operators', () => {
    expect(errorOf(parseLegacyExport('{"ops": []}')).detail).toBe('$: expected an array of operators or an object with an "operators" array');
  });

  it('rejects an entry that is not an object', () => {
    expect(valueOf(parseLegacyExport('[42]')).rejected).toEqual([{ source: 'operators[0]', code: null, issues: [{ field: 'operators[0]', message: 'must be an object' }] }]);
  });

  it.each([
    ['an unknown key', { sms_rate: 3 }, 'operators[0].sms_rate'],
    ['a numeric MNC (leading zeros matter)', { mnc: 1 }, 'operators[0].mnc'],
    ['a numeric name', { name: 7 }, 'operators[0].name'],
    ['an unknown kind', { kind: 'satellite' }, 'operators[0].kind'],
    ['an unknown status', { status: 'deleted' }, 'operators[0].status'],
    ['prefixes that are not an array', { prefixes: '9374' }, 'operators[0].prefixes'],
    ['a numeric prefix', { prefixes: [9374] }, 'operators[0].prefixes[0]'],
    ['a connection that is not an object', { connections: ['x'] }, 'operators[0].connections[0]'],
    ['a connection with an unknown key', { connections: [{ ...operator.connections[0], pass: 'x' }] }, 'operators[0].connections[0].pass'],
    ['a string port', { connections: [{ ...operator.connections[0], port: '2775' }] }, 'operators[0].connections[0].port'],
    ['a string TLS flag', { connections: [{ ...operator.connections[0], tls: 'yes' }] }, 'operators[0].connections[0].tls'],
    ['an unknown bind mode', { connections: [{ ...operator.connections[0], bindMode: 'both' }] }, 'operators[0].connections[0].bindMode'],
    ['a numeric password', { connections: [{ ...operator.connections[0], password: 1234 }] }, 'operators[0].connections[0].password'],
  ])('rejects %s, naming the field', (_label, overrides, field) => {
    const [rejected] = valueOf(parseLegacyExport(JSON.stringify([{ ...operator, ...overrides }]))).rejected;
    expect(rejected?.code).toBe('SALAAM');
    expect(rejected?.issues.map((i) => i.field)).toEqual([field]);
  });

  it('rejects an entry without a code, reporting no code', () => {
    const [rejected] = valueOf(parseLegacyExport(JSON.stringify([{ ...operator, code: undefined }]))).rejected;
    expect([rejected?.code, rejected?.issues.map((i) => i.field)]).toEqual([null, ['operators[0].code']]);
  });
});
