import { describe, expect, it } from 'vitest';
import { ACME, T0, createWorld, staffActor, tenantActor } from '../../support/world.js';

const commerce = staffActor('commerce');

describe('CreateOperatorContract', () => {
  it('records a contract and audits it', async () => {
    const world = createWorld();

    const result = await world.createContract.execute({
      actor: commerce,
      idempotencyKey: 'c1',
      operatorCode: 'MTN-AF',
      reference: 'MTN-2026',
      startsAt: '2026-01-01T00:00:00Z',
      endsAt: null,
    });

    expect(result).toMatchObject({ ok: true, value: { operatorCode: 'MTN-AF', reference: 'MTN-2026', startsAt: '2026-01-01T00:00:00.000Z', endsAt: null } });
    expect(world.store.auditRows().map((r) => [r.action, r.aggregateType])).toEqual([['catalog.contract.create', 'operator_contract']]);
  });

  it('refuses a second contract with the same reference for the operator', async () => {
    const world = createWorld();

    const result = await world.createContract.execute({
      actor: commerce,
      idempotencyKey: 'c1',
      operatorCode: 'ROSHAN',
      reference: 'CTR-ROSHAN-2026',
      startsAt: '2026-01-01T00:00:00Z',
      endsAt: null,
    });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.CATALOG_DUPLICATE', details: { field: 'reference' } } });
  });

  it.each([
    ['startsAt', { startsAt: '2026-01-01' }],
    ['endsAt', { endsAt: '2026-02-30T00:00:00Z' }],
    ['endsAt', { endsAt: '2025-01-01T00:00:00Z' }],
    ['operatorCode', { operatorCode: 'mtn' }],
  ])('refuses a bad %s', async (field, overrides) => {
    const world = createWorld();

    const result = await world.createContract.execute({
      actor: commerce,
      idempotencyKey: 'c1',
      operatorCode: 'MTN-AF',
      reference: 'MTN-2026',
      startsAt: '2026-01-01T00:00:00Z',
      endsAt: null,
      ...overrides,
    });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.INVALID_ARGUMENT', details: { field } } });
  });

  it('is refused to compliance', async () => {
    const world = createWorld();

    const result = await world.createContract.execute({
      actor: staffActor('compliance'),
      idempotencyKey: 'c1',
      operatorCode: 'MTN-AF',
      reference: 'X',
      startsAt: '2026-01-01T00:00:00Z',
      endsAt: null,
    });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.FORBIDDEN' } });
  });
});

describe('CreateNumberBlock', () => {
  const block = (overrides: Record<string, string> = {}) => ({
    actor: commerce,
    idempotencyKey: 'b1',
    operatorCode: 'ROSHAN',
    contractReference: 'CTR-ROSHAN-2026',
    reference: 'BLK-071',
    kind: 'msisdn',
    rangeStart: '+93710000000',
    rangeEnd: '+93710009999',
    ...overrides,
  });

  it('creates a block under a contract in force', async () => {
    const world = createWorld();

    const result = await world.createBlock.execute(block());

    expect(result).toMatchObject({ ok: true, value: { contractId: world.contract.id, reference: 'BLK-071', rangeEnd: '+93710009999' } });
  });

  it('refuses a range overlapping an existing block', async () => {
    const world = createWorld();

    const result = await world.createBlock.execute(block({ rangeStart: '+93709999000', rangeEnd: '+93710000999' }));

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.CATALOG_DUPLICATE', details: { overlaps: ['BLK-070'] } } });
  });

  it('refuses a reference the operator already uses', async () => {
    const world = createWorld();

    expect(await world.createBlock.execute(block({ reference: 'BLK-070' }))).toMatchObject({ ok: false, error: { code: 'NUMBERING.CATALOG_DUPLICATE', details: { field: 'reference' } } });
  });

  it('refuses an unknown contract', async () => {
    const world = createWorld();

    expect(await world.createBlock.execute(block({ contractReference: 'CTR-NONE' }))).toMatchObject({ ok: false, error: { code: 'NUMBERING.CATALOG_NOT_FOUND' } });
  });

  it('refuses a contract that has ended', async () => {
    const world = createWorld();
    world.store.seedContract({ ...world.contract, endsAt: T0 });

    expect(await world.createBlock.execute(block())).toMatchObject({ ok: false, error: { code: 'NUMBERING.CONTRACT_INACTIVE' } });
  });

  it('refuses a malformed range', async () => {
    const world = createWorld();

    expect(await world.createBlock.execute(block({ rangeEnd: '+9371' }))).toMatchObject({ ok: false, error: { code: 'NUMBERING.INVALID_ARGUMENT' } });
  });

  it('refuses an empty contract reference', async () => {
    const world = createWorld();

    expect(await world.createBlock.execute(block({ contractReference: '' }))).toMatchObject({ ok: false, error: { details: { field: 'contractReference' } } });
  });

  it('refuses an empty operator code', async () => {
    const world = createWorld();

    expect(await world.createBlock.execute(block({ operatorCode: '' }))).toMatchObject({ ok: false, error: { details: { field: 'operatorCode' } } });
  });

  it('is refused to a tenant', async () => {
    const world = createWorld();

    expect(await world.createBlock.execute({ ...block(), actor: tenantActor(ACME) })).toMatchObject({ ok: false, error: { code: 'NUMBERING.FORBIDDEN' } });
  });
});

describe('CreateInventoryPool', () => {
  it('creates a pool restricted to government tenants', async () => {
    const world = createWorld();

    const result = await world.createPool.execute({ actor: commerce, idempotencyKey: 'p', reference: 'gov-sc', name: 'Gov short codes', kind: 'short_code', segments: ['government'] });

    expect(result).toMatchObject({ ok: true, value: { reference: 'gov-sc', kind: 'short_code', segments: ['government'] } });
  });

  it('refuses a reference already in use', async () => {
    const world = createWorld();

    const result = await world.createPool.execute({ actor: commerce, idempotencyKey: 'p', reference: 'general', name: 'Again', kind: null, segments: [] });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.CATALOG_DUPLICATE' } });
  });

  it('refuses an unknown segment', async () => {
    const world = createWorld();

    const result = await world.createPool.execute({ actor: commerce, idempotencyKey: 'p', reference: 'x', name: 'X', kind: null, segments: ['vip'] });

    expect(result).toMatchObject({ ok: false, error: { details: { field: 'segments' } } });
  });

  it('is refused to an auditor', async () => {
    const world = createWorld();

    const result = await world.createPool.execute({ actor: staffActor('auditor'), idempotencyKey: 'p', reference: 'x', name: 'X', kind: null, segments: [] });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.FORBIDDEN' } });
  });
});

describe('CreateTenantPool', () => {
  it('opens an SMB tenant pool with the SMB tiers', async () => {
    const world = createWorld();

    const result = await world.createTenantPool.execute({ actor: commerce, idempotencyKey: 't', tenantId: 'tenant-new', name: 'Main', segment: 'smb' });

    expect(result).toMatchObject({ ok: true, value: { tenantId: 'tenant-new', segment: 'smb', allowedTiers: ['standard', 'silver'] } });
    expect(world.store.auditRows().at(-1)).toMatchObject({ action: 'tenant_pool.create', tenantId: 'tenant-new' });
  });

  it('refuses a second pool with the same name for the tenant', async () => {
    const world = createWorld();

    const result = await world.createTenantPool.execute({ actor: commerce, idempotencyKey: 't', tenantId: ACME, name: 'Acme senders', segment: 'enterprise' });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.CATALOG_DUPLICATE' } });
  });

  it('refuses a gold tier for an SMB pool', async () => {
    const world = createWorld();

    const result = await world.createTenantPool.execute({ actor: commerce, idempotencyKey: 't', tenantId: 'x', name: 'M', segment: 'smb', allowedTiers: ['gold'] });

    expect(result).toMatchObject({ ok: false, error: { details: { field: 'allowedTiers' } } });
  });

  it('is refused to a tenant, even for itself', async () => {
    const world = createWorld();

    const result = await world.createTenantPool.execute({ actor: tenantActor(ACME), idempotencyKey: 't', tenantId: ACME, name: 'Mine', segment: 'enterprise' });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.FORBIDDEN' } });
  });
});
