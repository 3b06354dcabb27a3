import { describe, expect, it } from 'vitest';
import { addYears, exportEventName, exportObjectKey, historyCells, parseExportMonth, previousExportMonth, revisionName } from '../../../src/index.js';
import type { HistoryExportEntry } from '../../../src/index.js';

const entry = (overrides: Partial<HistoryExportEntry>): HistoryExportEntry => ({
  seq: 7,
  occurredAt: '2026-10-05T08:00:00.000Z',
  action: 'number.release',
  number: '+93701234567',
  kind: 'msisdn',
  operatorCode: 'ROSHAN',
  tenantId: 'tenant-acme',
  fromState: 'assigned',
  toState: 'quarantined',
  actorRole: 'tenant',
  eventTypes: ['numbering.lease.released.v1', 'numbering.number.quarantined.v1'],
  command: { action: 'release' },
  ...overrides,
});

describe('regulator export month', () => {
  it('spans a UTC calendar month, end exclusive, across a year boundary', () => {
    const december = parseExportMonth('2026-12');

    expect([december?.from.toISOString(), december?.to.toISOString()]).toEqual(['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });

  it.each(['2026-13', '2026-00', '26-10', '2026-1', '1999-12', '2026-10-01', ''])('refuses %j', (text) => {
    expect(parseExportMonth(text)).toBeNull();
  });

  it('names the previous month of any instant, January giving December of the year before', () => {
    expect([previousExportMonth(new Date('2027-01-01T00:30:00Z')).month, previousExportMonth(new Date('2026-11-30T23:59:59Z')).month]).toEqual([
      '2026-12',
      '2026-10',
    ]);
  });

  it('adds calendar years in UTC', () => {
    expect(addYears(new Date('2026-11-01T01:02:03.004Z'), 7).toISOString()).toBe('2033-11-01T01:02:03.004Z');
  });
});

describe('regulator export object names', () => {
  it('keeps every file of a month under numbering/regulator-exports/YYYY-MM/', () => {
    expect(exportObjectKey('2026-10', 'manifest.json')).toBe('numbering/regulator-exports/2026-10/manifest.json');
  });

  it('names later revisions before the extension', () => {
    expect([revisionName('inventory.csv', 1), revisionName('inventory.csv', 2), revisionName('noext', 3)]).toEqual([
      'inventory.csv',
      'inventory.r2.csv',
      'noext.r3',
    ]);
  });
});

describe('regulator export history lines', () => {
  it('writes one line per event of a change, each with the change reason', () => {
    expect(historyCells(entry({}))).toEqual([
      ['2026-10-05T08:00:00.000Z', '7', 'lease.released', '+93701234567', 'msisdn', 'ROSHAN', 'tenant-acme', 'assigned', 'quarantined', 'tenant_released', 'tenant'],
      ['2026-10-05T08:00:00.000Z', '7', 'number.quarantined', '+93701234567', 'msisdn', 'ROSHAN', 'tenant-acme', 'assigned', 'quarantined', 'tenant_released', 'tenant'],
    ]);
  });

  it('names an import that published no event number.imported, and takes a recall reason from its command', () => {
    const imported = historyCells(entry({ action: 'number.import', eventTypes: [], command: null, tenantId: null, fromState: null, toState: 'available' }));
    const recalled = historyCells(entry({ action: 'number.recall', eventTypes: ['numbering.number.recalled.v1'], command: { action: 'recall', reason: 'regulator_order' } }));

    expect([imported[0]?.[2], imported[0]?.[6], imported[0]?.[9], recalled[0]?.[2], recalled[0]?.[9]]).toEqual([
      'number.imported',
      '',
      '',
      'number.recalled',
      'regulator_order',
    ]);
  });

  it('strips the domain and the version from an event type', () => {
    expect(exportEventName('numbering.number.quarantine-ended.v1')).toBe('number.quarantine-ended');
  });
});
