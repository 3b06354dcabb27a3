import { describe, expect, it } from 'vitest';
import { VerifyAuditChain } from '../../../src/index.js';
import type { AuditRow } from '../../../src/index.js';
import { ACME, createWorld, leaseToAcme, staffActor, tenantActor } from '../../support/world.js';
import type { World } from '../../support/world.js';

async function busyWorld(): Promise<World> {
  const world = createWorld();
  for (let i = 1; i <= 4; i += 1) {
    const value = `+9370100000${i}`;
    world.addNumber(value);
    await leaseToAcme(world, value);
  }
  return world;
}

const verify = (world: World, pageSize?: number) =>
  new VerifyAuditChain({ audit: world.store.auditReader }).execute({ actor: staffActor('system'), ...(pageSize === undefined ? {} : { pageSize }) });

describe('VerifyAuditChain', () => {
  it('finds the chain written by the use cases intact', async () => {
    const world = await busyWorld();

    const result = await verify(world);

    expect(result).toMatchObject({ ok: true, value: { intact: true, rowCount: 8, head: { seq: 8 } } });
  });

  it('walks the chain across pages', async () => {
    const world = await busyWorld();

    expect(await verify(world, 3)).toMatchObject({ ok: true, value: { intact: true, rowCount: 8 } });
  });

  it('names a row altered in the table', async () => {
    const world = await busyWorld();
    const rows = [...world.store.auditRows()];
    rows[4] = { ...(rows[4] as AuditRow), tenantId: 'tenant-mallory' };
    world.store.replaceAuditRows(rows);

    expect(await verify(world, 3)).toMatchObject({ ok: true, value: { intact: false, firstBroken: { seq: 5, reason: 'hash_mismatch' } } });
  });

  it('names the row after one deleted from the table', async () => {
    const world = await busyWorld();
    const rows = [...world.store.auditRows()];
    rows.splice(3, 1);
    world.store.replaceAuditRows(rows);

    expect(await verify(world)).toMatchObject({ ok: true, value: { intact: false, firstBroken: { seq: 5, reason: 'sequence_gap' } } });
  });

  it('keeps chaining after verification: new changes extend the same chain', async () => {
    const world = await busyWorld();
    await world.release.execute({ actor: tenantActor(ACME), idempotencyKey: 'later', number: '+93701000001', tenantId: ACME });

    expect(await verify(world)).toMatchObject({ ok: true, value: { intact: true, rowCount: 9 } });
  });

  it('detects a chain cut back below an anchor recorded earlier', async () => {
    const world = await busyWorld();
    const rows = world.store.auditRows();
    const anchor = { seq: 8, hash: (rows[7] as AuditRow).hash };
    world.store.replaceAuditRows(rows.slice(0, 6));

    const result = await new VerifyAuditChain({ audit: world.store.auditReader }).execute({ actor: staffActor('auditor'), anchor });

    expect(result).toMatchObject({ ok: true, value: { intact: false, firstBroken: { seq: 8, reason: 'anchor_mismatch' } } });
  });

  it('is refused to a tenant', async () => {
    const world = createWorld();

    expect(await new VerifyAuditChain({ audit: world.store.auditReader }).execute({ actor: tenantActor(ACME) })).toMatchObject({
      ok: false,
      error: { code: 'NUMBERING.FORBIDDEN' },
    });
  });
});
