import { describe, expect, it } from 'vitest';
import {
  blockContains,
  createInventoryPool,
  createNumberBlock,
  createOperatorContract,
  createTenantPool,
  isContractActive,
  poolAdmitsSegment,
  tenantPoolAdmitsTier,
} from '../../../src/index.js';
import type { NumberBlock, OperatorContract } from '../../../src/index.js';

const NOW = new Date('2026-05-01T00:00:00Z');
const contract: OperatorContract = {
  id: 'c1',
  operatorCode: 'ROSHAN',
  reference: 'CTR-1',
  startsAt: new Date('2026-01-01T00:00:00Z'),
  endsAt: new Date('2027-01-01T00:00:00Z'),
  createdAt: NOW,
};
const block: NumberBlock = {
  id: 'b1',
  contractId: 'c1',
  operatorCode: 'ROSHAN',
  reference: 'BLK',
  kind: 'msisdn',
  rangeStart: '+93700000000',
  rangeEnd: '+93700009999',
  createdAt: NOW,
};
const codeOf = (r: { ok: boolean; error?: { details?: unknown } }): unknown => (r.ok ? null : r.error?.details);

describe('operator contracts', () => {
  it('is in force from its start, inclusive', () => {
    expect(isContractActive(contract, contract.startsAt)).toBe(true);
  });

  it('is no longer in force at its end', () => {
    expect(isContractActive(contract, new Date('2027-01-01T00:00:00Z'))).toBe(false);
  });

  it('is not in force before its start', () => {
    expect(isContractActive(contract, new Date('2025-12-31T23:59:59Z'))).toBe(false);
  });

  it('stays in force without an end', () => {
    expect(isContractActive({ ...contract, endsAt: null }, new Date('2099-01-01T00:00:00Z'))).toBe(true);
  });

  it('refuses a lower-case operator code', () => {
    expect(codeOf(createOperatorContract('c', { operatorCode: 'roshan', reference: 'R', startsAt: NOW, endsAt: null }, NOW))).toEqual({ field: 'operatorCode' });
  });

  it('refuses an end that is not after the start', () => {
    expect(codeOf(createOperatorContract('c', { operatorCode: 'ROSHAN', reference: 'R', startsAt: NOW, endsAt: NOW }, NOW))).toEqual({ field: 'endsAt' });
  });

  it('refuses a reference with spaces', () => {
    expect(codeOf(createOperatorContract('c', { operatorCode: 'ROSHAN', reference: 'R 1', startsAt: NOW, endsAt: null }, NOW))).toEqual({ field: 'reference' });
  });
});

describe('number blocks', () => {
  it('contains its first and last value', () => {
    expect([blockContains(block, 'msisdn', '+93700000000'), blockContains(block, 'msisdn', '+93700009999')]).toEqual([true, true]);
  });

  it('does not contain the value after its range', () => {
    expect(blockContains(block, 'msisdn', '+93700010000')).toBe(false);
  });

  it('does not contain a value of another length', () => {
    expect(blockContains(block, 'msisdn', '+9370000000')).toBe(false);
  });

  it('does not contain a value of another kind', () => {
    expect(blockContains(block, 'short_code', '93700000001')).toBe(false);
  });

  it('is built under its contract with canonical bounds', () => {
    const made = createNumberBlock('b2', contract, { reference: 'B2', kind: 'short_code', rangeStart: '1000', rangeEnd: '1999' }, NOW);

    expect(made).toMatchObject({ ok: true, value: { contractId: 'c1', operatorCode: 'ROSHAN', rangeStart: '1000', rangeEnd: '1999' } });
  });

  it('refuses bounds of different lengths', () => {
    expect(codeOf(createNumberBlock('b', contract, { reference: 'B', kind: 'short_code', rangeStart: '100', rangeEnd: '1999' }, NOW))).toEqual({ field: 'rangeEnd' });
  });

  it('refuses an end below the start', () => {
    expect(codeOf(createNumberBlock('b', contract, { reference: 'B', kind: 'short_code', rangeStart: '1999', rangeEnd: '1000' }, NOW))).toEqual({ field: 'rangeEnd' });
  });

  it('refuses bounds of the other kind', () => {
    expect(codeOf(createNumberBlock('b', contract, { reference: 'B', kind: 'msisdn', rangeStart: '1000', rangeEnd: '1999' }, NOW))).toEqual({ field: 'rangeStart' });
  });

  it('refuses an unknown kind', () => {
    expect(codeOf(createNumberBlock('b', contract, { reference: 'B', kind: 'landline', rangeStart: '1000', rangeEnd: '1999' }, NOW))).toEqual({ field: 'kind' });
  });

  it('refuses a malformed end bound', () => {
    expect(codeOf(createNumberBlock('b', contract, { reference: 'B', kind: 'msisdn', rangeStart: '+93700000000', rangeEnd: 'x' }, NOW))).toEqual({ field: 'rangeEnd' });
  });
});

describe('inventory pools', () => {
  it('admits every segment when it names none', () => {
    const pool = createInventoryPool('p', { reference: 'general', name: 'General', kind: null, segments: [] }, NOW);

    expect(pool.ok && (['enterprise', 'smb', 'government'] as const).every((s) => poolAdmitsSegment(pool.value, s))).toBe(true);
  });

  it('admits only the segments it names', () => {
    const pool = createInventoryPool('p', { reference: 'gov', name: 'Gov', kind: null, segments: ['government', 'government'] }, NOW);

    expect(pool.ok && [poolAdmitsSegment(pool.value, 'government'), poolAdmitsSegment(pool.value, 'smb'), pool.value.segments]).toEqual([
      true,
      false,
      ['government'],
    ]);
  });

  it('refuses an unknown segment', () => {
    expect(codeOf(createInventoryPool('p', { reference: 'x', name: 'X', kind: null, segments: ['retail'] }, NOW))).toEqual({ field: 'segments' });
  });

  it('refuses an unknown kind', () => {
    expect(codeOf(createInventoryPool('p', { reference: 'x', name: 'X', kind: 'fax', segments: [] }, NOW))).toEqual({ field: 'kind' });
  });

  it('refuses an empty name', () => {
    expect(codeOf(createInventoryPool('p', { reference: 'x', name: '  ', kind: null, segments: [] }, NOW))).toEqual({ field: 'name' });
  });

  it('refuses a malformed reference', () => {
    expect(codeOf(createInventoryPool('p', { reference: '', name: 'X', kind: null, segments: [] }, NOW))).toEqual({ field: 'reference' });
  });
});

describe('tenant pools', () => {
  it('lets an SMB pool hold standard and silver numbers by default', () => {
    const pool = createTenantPool('t', { tenantId: 'tn', name: 'Main', segment: 'smb' }, NOW);

    expect(pool.ok && pool.value.allowedTiers).toEqual(['standard', 'silver']);
  });

  it('lets an enterprise pool hold every tier by default', () => {
    const pool = createTenantPool('t', { tenantId: 'tn', name: 'Main', segment: 'enterprise' }, NOW);

    expect(pool.ok && (['standard', 'silver', 'gold', 'platinum'] as const).every((t) => tenantPoolAdmitsTier(pool.value, t))).toBe(true);
  });

  it('narrows tiers when asked', () => {
    const pool = createTenantPool('t', { tenantId: 'tn', name: 'Main', segment: 'government', allowedTiers: ['standard'] }, NOW);

    expect(pool.ok && tenantPoolAdmitsTier(pool.value, 'gold')).toBe(false);
  });

  it('refuses a tier its segment may not hold', () => {
    expect(codeOf(createTenantPool('t', { tenantId: 'tn', name: 'Main', segment: 'smb', allowedTiers: ['gold'] }, NOW))).toEqual({ field: 'allowedTiers' });
  });

  it('refuses an unknown tier', () => {
    expect(codeOf(createTenantPool('t', { tenantId: 'tn', name: 'Main', segment: 'enterprise', allowedTiers: ['diamond'] }, NOW))).toEqual({ field: 'allowedTiers' });
  });

  it('refuses an empty tier list', () => {
    expect(codeOf(createTenantPool('t', { tenantId: 'tn', name: 'Main', segment: 'enterprise', allowedTiers: [] }, NOW))).toEqual({ field: 'allowedTiers' });
  });

  it('refuses an unknown segment', () => {
    expect(codeOf(createTenantPool('t', { tenantId: 'tn', name: 'Main', segment: 'retail' }, NOW))).toEqual({ field: 'segment' });
  });

  it('refuses a missing tenant', () => {
    expect(codeOf(createTenantPool('t', { tenantId: ' ', name: 'Main', segment: 'smb' }, NOW))).toEqual({ field: 'tenantId' });
  });

  it('refuses a missing name', () => {
    expect(codeOf(createTenantPool('t', { tenantId: 'tn', name: '', segment: 'smb' }, NOW))).toEqual({ field: 'name' });
  });
});
