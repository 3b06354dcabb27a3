import { describe, expect, it } from 'vitest';
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { AuditChainVerifier, GENESIS_HASH, computeAuditHash, sealAuditRow, verifyAuditChain } from '../../../src/index.js';
import type { AuditEntry, AuditRow } from '../../../src/index.js';

const entry = (n: number): AuditEntry => ({
  id: `audit-${n}`,
  occurredAt: new Date(Date.UTC(2026, 4, 1, 10, 0, n)).toISOString(),
  actor: { role: 'tenant', id: 'u1', tenantId: 'tenant-a' },
  action: 'number.reserve',
  aggregateType: 'number',
  aggregateId: `number-${n}`,
  tenantId: 'tenant-a',
  fromState: 'available',
  toState: 'reserved',
  aggregateVersion: 2,
  idempotencyKey: `key-${n}`,
  details: { number: '+93701234567', note: 'é ☎', nested: { b: 1, a: [true, null] } },
});

function chain(length: number): AuditRow[] {
  const rows: AuditRow[] = [];
  for (let n = 1; n <= length; n += 1) {
    const last = rows[rows.length - 1];
    rows.push(sealAuditRow(last === undefined ? null : { seq: last.seq, hash: last.hash }, entry(n)));
  }
  return rows;
}

describe('sealing audit rows', () => {
  it('starts the chain at sequence 1 after the genesis hash', () => {
    const first = sealAuditRow(null, entry(1));

    expect([first.seq, first.prevHash]).toEqual([1, GENESIS_HASH]);
  });

  it('hashes the previous hash followed by the RFC 8785 canonical JSON of the row', () => {
    const [first, second] = chain(2);
    if (first === undefined || second === undefined) throw new Error('arrange');
    const { prevHash: _p, hash: _h, ...body } = second;

    const expected = createHash('sha256').update(first.hash + canonicalize(body)).digest('hex');

    expect(second.hash).toBe(expected);
  });

  it('gives the same hash whatever the order of keys in the details', () => {
    const a = computeAuditHash(GENESIS_HASH, { ...entry(1), seq: 1, details: { x: 1, y: 2 } });
    const b = computeAuditHash(GENESIS_HASH, { ...entry(1), seq: 1, details: { y: 2, x: 1 } });

    expect(a).toBe(b);
  });
});

describe('verifying the chain', () => {
  it('finds an untouched chain intact and reports its head', () => {
    const rows = chain(5);

    expect(verifyAuditChain(rows)).toEqual({ intact: true, rowCount: 5, head: { seq: 5, hash: rows[4]?.hash } });
  });

  it('finds an empty chain intact', () => {
    expect(verifyAuditChain([])).toEqual({ intact: true, rowCount: 0, head: null });
  });

  it('names a row altered in the middle', () => {
    const rows = chain(5);
    rows[2] = { ...(rows[2] as AuditRow), tenantId: 'tenant-b' };

    expect(verifyAuditChain(rows)).toMatchObject({ intact: false, firstBroken: { seq: 3, id: 'audit-3', reason: 'hash_mismatch' } });
  });

  it('names the row after one deleted in the middle', () => {
    const rows = chain(5);
    rows.splice(2, 1);

    expect(verifyAuditChain(rows)).toMatchObject({ intact: false, firstBroken: { seq: 4, id: 'audit-4', reason: 'sequence_gap' } });
  });

  it('notices a deletion even when the sequence numbers were rewritten', () => {
    const rows = chain(5);
    rows.splice(2, 1);
    const renumbered = rows.map((row, i) => ({ ...row, seq: i + 1 }));

    expect(verifyAuditChain(renumbered)).toMatchObject({ intact: false, firstBroken: { seq: 3, reason: 'prev_hash_mismatch' } });
  });

  it('names a row inserted in the middle, even one sealed correctly on its predecessor', () => {
    const rows = chain(5);
    const second = rows[1] as AuditRow;
    const forged = sealAuditRow({ seq: second.seq, hash: second.hash }, { ...entry(99), id: 'forged' });
    const tampered = [...rows.slice(0, 2), forged, ...rows.slice(2).map((row) => ({ ...row, seq: row.seq + 1 }))];

    expect(verifyAuditChain(tampered)).toMatchObject({ intact: false, firstBroken: { seq: 4, id: 'audit-3', reason: 'prev_hash_mismatch' } });
  });

  it('names the first of two broken rows', () => {
    const rows = chain(5);
    rows[1] = { ...(rows[1] as AuditRow), action: 'x' };
    rows[3] = { ...(rows[3] as AuditRow), action: 'y' };

    expect(verifyAuditChain(rows)).toMatchObject({ firstBroken: { seq: 2 } });
  });

  it('detects a chain rewritten from scratch through an earlier anchor', () => {
    const original = chain(5);
    const anchor = { seq: 3, hash: (original[2] as AuditRow).hash };
    const rewritten = chain(5).map((row) => row);
    rewritten.splice(2, 3);
    let head = { seq: 2, hash: (rewritten[1] as AuditRow).hash };
    for (let n = 3; n <= 5; n += 1) {
      const row = sealAuditRow(head, { ...entry(n), details: { rewritten: true } });
      rewritten.push(row);
      head = { seq: row.seq, hash: row.hash };
    }

    expect(verifyAuditChain(rewritten, anchor)).toMatchObject({ intact: false, firstBroken: { seq: 3, reason: 'anchor_mismatch' } });
  });

  it('detects a chain truncated before its anchor', () => {
    const rows = chain(5);
    const anchor = { seq: 5, hash: (rows[4] as AuditRow).hash };

    expect(verifyAuditChain(rows.slice(0, 3), anchor)).toMatchObject({ intact: false, firstBroken: { seq: 5, id: null, reason: 'anchor_mismatch' } });
  });

  it('accepts a chain that still holds its anchor', () => {
    const rows = chain(5);

    expect(verifyAuditChain(rows, { seq: 4, hash: (rows[3] as AuditRow).hash }).intact).toBe(true);
  });

  it('verifies page by page from a known head', () => {
    const rows = chain(6);
    const verifier = new AuditChainVerifier({ start: { seq: 3, hash: (rows[2] as AuditRow).hash } });

    rows.slice(3).forEach((row) => verifier.push(row));

    expect(verifier.verdict()).toMatchObject({ intact: true, rowCount: 3 });
  });
});
