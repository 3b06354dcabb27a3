import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '@sms/kernel';
import { HandleTenantCreatedUseCase } from '../../../src/application/handle-tenant-created.use-case.js';
import { HandleTenantDeletedUseCase } from '../../../src/application/handle-tenant-deleted.use-case.js';
import { ResolveConfigUseCase } from '../../../src/application/resolve-config.use-case.js';
import { PATHS, createWorld, subjects, unwrap, unwrapErr } from '../../support/world.js';

const created = (id: string, data: unknown): EventEnvelope => ({
  id,
  type: 'tenant.created.v1',
  aggregateType: 'tenant',
  aggregateId: 'tenant-initech',
  tenantId: 'tenant-initech',
  occurredAt: '2026-02-01T00:00:00.000Z',
  data,
});
const deleted = (id: string, tenantId: string): EventEnvelope => ({ ...created(id, { tenantId }), type: 'tenant.deleted.v1' });

function setup() {
  const world = createWorld();
  return {
    world,
    onCreated: new HandleTenantCreatedUseCase(world.deps),
    onDeleted: new HandleTenantDeletedUseCase(world.deps),
    resolve: new ResolveConfigUseCase(world.deps),
  };
}

describe('HandleTenantCreatedUseCase (tenant.created.v1)', () => {
  it("creates the tenant's node under the placement it names", async () => {
    const { world, onCreated } = setup();
    const outcome = unwrap(await onCreated.execute(created('e1', { tenantId: 'tenant-initech', slug: 'initech', placement: { level: 'region', name: 'herat' } })));
    const node = world.node('/GLOBAL/region:herat/tenant:initech');
    expect([outcome, node.tenantId, node.isTenantRoot, world.uow.versionsOf(node.id)[0]?.author]).toEqual([
      'created',
      'tenant-initech',
      true,
      'system:tenant-events',
    ]);
  });

  it('creates the node directly under GLOBAL when there is no placement', async () => {
    const { world, onCreated } = setup();
    await onCreated.execute(created('e1', { tenantId: 'tenant-initech', slug: 'initech', placement: null }));
    expect(world.node('/GLOBAL/tenant:initech').tenantId).toBe('tenant-initech');
  });

  it('publishes config.node.created.v1 for the new node', async () => {
    const { world, onCreated } = setup();
    await onCreated.execute(created('e1', { tenantId: 'tenant-initech', slug: 'initech' }));
    expect(world.events('config.node.created.v1')[0]?.data).toMatchObject({ path: '/GLOBAL/tenant:initech', reason: 'tenant.created.v1 e1' });
  });

  it('does nothing the second time the same event arrives', async () => {
    const { world, onCreated } = setup();
    const event = created('e1', { tenantId: 'tenant-initech', slug: 'initech' });
    await onCreated.execute(event);
    const second = unwrap(await onCreated.execute(event));
    expect([second, world.events().length]).toEqual(['duplicate', 1]);
  });

  it('leaves an existing tenant node alone when another event announces the same tenant', async () => {
    const { world, onCreated } = setup();
    await onCreated.execute(created('e1', { tenantId: 'tenant-initech', slug: 'initech' }));
    const second = unwrap(await onCreated.execute(created('e2', { tenantId: 'tenant-initech', slug: 'initech-two' })));
    expect([second, world.uow.nodes.filter((n) => n.tenantId === 'tenant-initech').length]).toEqual(['already-exists', 1]);
  });

  it('lets the tenant resolve its configuration at once', async () => {
    const { onCreated, resolve } = setup();
    await onCreated.execute(created('e1', { tenantId: 'tenant-initech', slug: 'initech' }));
    const reader = { ...subjects.acmeReader, tenantId: 'tenant-initech' };
    expect(unwrap(await resolve.execute({ subject: reader, node: 'tenant:tenant-initech' })).values['sms.max_parts_per_message']?.value).toBe(6);
  });

  it('fails, recording nothing, when the placement does not exist yet, so a redelivery can succeed later', async () => {
    const { world, onCreated } = setup();
    const event = created('e1', { tenantId: 'tenant-initech', slug: 'initech', placement: { level: 'region', name: 'balkh' } });
    const first = unwrapErr(await onCreated.execute(event));
    world.uow.seed({ nodes: [{ ...world.node(PATHS.herat), id: 'n-balkh', name: 'balkh', path: '/GLOBAL/region:balkh' }] });
    const retry = unwrap(await onCreated.execute(event));
    expect([first.code, retry]).toEqual(['CONFIG.PARENT_NOT_FOUND', 'created']);
  });

  it('refuses a placement under which no tenant level may hang', async () => {
    const { world, onCreated } = setup();
    world.uow.seed({ nodes: [{ ...world.node(PATHS.acmeBilling), id: 'n-x', level: 'sub-account', name: 'x', path: '/GLOBAL/sub-account:x', tenantId: null }] });
    const error = unwrapErr(await onCreated.execute(created('e1', { tenantId: 'tenant-initech', slug: 'initech', placement: { level: 'sub-account', name: 'x' } })));
    expect(error.code).toBe('CONFIG.LEVEL_NOT_ALLOWED');
  });

  it('refuses a slug already used by another tenant under the same parent', async () => {
    const { onCreated } = setup();
    const error = unwrapErr(await onCreated.execute(created('e1', { tenantId: 'tenant-other', slug: 'globex' })));
    expect(error.code).toBe('CONFIG.PATH_CONFLICT');
  });

  it.each([
    ['no object', 'nope'],
    ['no tenant id', { slug: 'initech' }],
    ['a tenant id with a path in it', { tenantId: '../globex', slug: 'x' }],
    ['a slug that is not a node name', { tenantId: 't', slug: 'Init Tech' }],
    ['a placement that is not an object', { tenantId: 't', slug: 'x', placement: 'herat' }],
    ['a placement without a level', { tenantId: 't', slug: 'x', placement: { name: 'herat' } }],
  ])('refuses an event with %s as invalid', async (_label, data) => {
    const { onCreated } = setup();
    expect(unwrapErr(await onCreated.execute(created('e1', data))).code).toBe('CONFIG.INVALID_EVENT');
  });

  it('refuses an event of another type', async () => {
    const { onCreated } = setup();
    expect(unwrapErr(await onCreated.execute(deleted('e1', 'tenant-acme'))).code).toBe('CONFIG.INVALID_EVENT');
  });
});

describe('HandleTenantDeletedUseCase (tenant.deleted.v1)', () => {
  it("removes the tenant's node and its subtree and publishes config.node.deleted.v1", async () => {
    const { world, onDeleted } = setup();
    const outcome = unwrap(await onDeleted.execute(deleted('d1', 'tenant-acme')));
    expect([outcome, world.uow.nodes.filter((n) => n.tenantId === 'tenant-acme'), world.events('config.node.deleted.v1')[0]?.data]).toEqual([
      'deleted',
      [],
      expect.objectContaining({ path: PATHS.acme, deletedDescendants: [{ nodeId: 'n-acme-billing', path: PATHS.acmeBilling }] }),
    ]);
  });

  it('does nothing the second time the same event arrives', async () => {
    const { world, onDeleted } = setup();
    await onDeleted.execute(deleted('d1', 'tenant-acme'));
    expect([unwrap(await onDeleted.execute(deleted('d1', 'tenant-acme'))), world.events().length]).toEqual(['duplicate', 1]);
  });

  it('does nothing for a tenant without a node', async () => {
    const { world, onDeleted } = setup();
    expect([unwrap(await onDeleted.execute(deleted('d1', 'tenant-unknown'))), world.events()]).toEqual(['absent', []]);
  });

  it('drops the cached resolutions of the deleted subtree', async () => {
    const { onDeleted, resolve } = setup();
    await resolve.execute({ subject: subjects.platformAdmin, node: PATHS.acmeBilling });
    await onDeleted.execute(deleted('d1', 'tenant-acme'));
    expect(unwrapErr(await resolve.execute({ subject: subjects.platformAdmin, node: PATHS.acmeBilling })).code).toBe('CONFIG.NODE_NOT_FOUND');
  });

  it('refuses an event without a tenant id', async () => {
    const { onDeleted } = setup();
    expect(unwrapErr(await onDeleted.execute({ ...deleted('d1', 'x'), data: {} })).code).toBe('CONFIG.INVALID_EVENT');
  });

  it('refuses an event whose data is not an object', async () => {
    const { onDeleted } = setup();
    expect(unwrapErr(await onDeleted.execute({ ...deleted('d1', 'x'), data: null })).code).toBe('CONFIG.INVALID_EVENT');
  });

  it('refuses an event of another type', async () => {
    const { onDeleted } = setup();
    expect(unwrapErr(await onDeleted.execute(created('d1', { tenantId: 'x', slug: 'x' }))).code).toBe('CONFIG.INVALID_EVENT');
  });
});
