import { describe, expect, it } from 'vitest';
import { ResolveConfigUseCase } from '../../../src/application/resolve-config.use-case.js';
import { SetValueUseCase } from '../../../src/application/set-value.use-case.js';
import { PATHS, createWorld, subjects, unwrap, unwrapErr } from '../../support/world.js';

const admin = subjects.platformAdmin;
const PARTS = 'sms.max_parts_per_message';
const SECRET = 'webhook.signing_secret_ref';

function setup() {
  const world = createWorld();
  return { world, set: new SetValueUseCase(world.deps), resolve: new ResolveConfigUseCase(world.deps) };
}

describe('ResolveConfigUseCase', () => {
  it('returns every value with where it came from', async () => {
    const { set, resolve } = setup();
    await set.execute({ subject: admin, node: PATHS.kabul, key: PARTS, value: 5, reason: 'x' });
    const resolved = unwrap(await resolve.execute({ subject: admin, node: PATHS.acmeBilling }));
    expect([resolved.path, resolved.tenantId, resolved.values[PARTS], resolved.values['routing.failover_timeout']]).toEqual([
      PATHS.acmeBilling,
      'tenant-acme',
      { value: 5, redacted: false, source: { kind: 'node', nodeId: 'n-kabul', path: PATHS.kabul }, lockedAt: null, deprecated: false },
      { value: '5s', redacted: false, source: { kind: 'default' }, lockedAt: null, deprecated: false },
    ]);
  });

  it('resolves a tenant by its id', async () => {
    const { resolve } = setup();
    expect(unwrap(await resolve.execute({ subject: admin, node: 'tenant:tenant-acme' })).path).toBe(PATHS.acme);
  });

  it('resolves a node by its id', async () => {
    const { resolve } = setup();
    expect(unwrap(await resolve.execute({ subject: admin, node: 'node:n-globex' })).path).toBe(PATHS.globex);
  });

  it('returns only the keys asked for', async () => {
    const { resolve } = setup();
    expect(Object.keys(unwrap(await resolve.execute({ subject: admin, node: PATHS.acme, keys: [PARTS, 'sms.nope'] })).values)).toEqual([PARTS]);
  });

  it('answers a repeated resolution from the cache', async () => {
    const { resolve } = setup();
    const first = unwrap(await resolve.execute({ subject: admin, node: PATHS.acme }));
    const second = unwrap(await resolve.execute({ subject: admin, node: PATHS.acme }));
    expect([first.cached, second.cached, second.values]).toEqual([false, true, first.values]);
  });

  it('computes again once the cache entry has expired', async () => {
    const { world, resolve } = setup();
    await resolve.execute({ subject: admin, node: PATHS.acme });
    world.clock.advance(60_000);
    expect(unwrap(await resolve.execute({ subject: admin, node: PATHS.acme })).cached).toBe(false);
  });

  it('resolves from the store when the cache fails', async () => {
    const { world, resolve } = setup();
    world.cache.get = () => Promise.reject(new Error('redis down'));
    world.cache.epoch = () => Promise.reject(new Error('redis down'));
    expect(unwrap(await resolve.execute({ subject: admin, node: PATHS.acme })).values[PARTS]?.value).toBe(6);
  });

  it('still answers when storing into the cache fails', async () => {
    const { world, resolve } = setup();
    world.cache.put = () => Promise.reject(new Error('redis down'));
    expect((await resolve.execute({ subject: admin, node: PATHS.acme })).ok).toBe(true);
  });

  it('answers not found for an unknown node', async () => {
    const { resolve } = setup();
    expect(unwrapErr(await resolve.execute({ subject: admin, node: '/GLOBAL/tenant:nobody' }))).toEqual({
      code: 'CONFIG.NODE_NOT_FOUND',
      message: 'no configuration node /GLOBAL/tenant:nobody',
      details: { node: '/GLOBAL/tenant:nobody' },
    });
  });

  it('refuses a malformed reference', async () => {
    const { resolve } = setup();
    expect(unwrapErr(await resolve.execute({ subject: admin, node: 'acme' })).code).toBe('CONFIG.INVALID_PATH');
  });

  it('lets a service resolve only the keys it owns', async () => {
    const { resolve } = setup();
    const resolved = unwrap(await resolve.execute({ subject: subjects.routing, node: PATHS.acme }));
    expect(Object.keys(resolved.values)).toEqual(['routing.failover_timeout']);
  });

  it('gives a service its own sensitive values in clear', async () => {
    const { set, resolve } = setup();
    await set.execute({ subject: admin, node: PATHS.acme, key: SECRET, value: 'vault:acme', reason: 'x' });
    const resolved = unwrap(await resolve.execute({ subject: subjects.orchestrator, node: PATHS.acme }));
    expect(resolved.values[SECRET]).toMatchObject({ value: 'vault:acme', redacted: false });
  });

  it('redacts sensitive values for a tenant admin', async () => {
    const { set, resolve } = setup();
    await set.execute({ subject: admin, node: PATHS.acme, key: SECRET, value: 'vault:acme', reason: 'x' });
    const resolved = unwrap(await resolve.execute({ subject: subjects.acmeAdmin, node: PATHS.acme }));
    expect(resolved.values[SECRET]).toMatchObject({ value: null, redacted: true, source: { kind: 'node', path: PATHS.acme } });
  });

  it('answers a subject without roles as if the node did not exist', async () => {
    const { resolve } = setup();
    expect(unwrapErr(await resolve.execute({ subject: subjects.nobody, node: PATHS.acme })).code).toBe('CONFIG.NODE_NOT_FOUND');
  });
});

describe('tenant isolation in resolution', () => {
  it('lets a tenant resolve its own subtree, with values inherited from above', async () => {
    const { set, resolve } = setup();
    await set.execute({ subject: admin, node: PATHS.global, key: PARTS, value: 7, reason: 'x' });
    const resolved = unwrap(await resolve.execute({ subject: subjects.acmeReader, node: PATHS.acmeBilling }));
    expect(resolved.values[PARTS]).toMatchObject({ value: 7, source: { path: PATHS.global } });
  });

  it("refuses another tenant's node with exactly the answer given for a node that does not exist", async () => {
    const { set, resolve } = setup();
    await set.execute({ subject: admin, node: PATHS.globex, key: PARTS, value: 2, reason: 'globex secret-ish setting' });
    const existing = unwrapErr(await resolve.execute({ subject: subjects.acmeAdmin, node: PATHS.globex }));
    const missing = unwrapErr(await resolve.execute({ subject: subjects.acmeAdmin, node: '/GLOBAL/tenant:globez' }));
    expect([existing.code, existing.message.replace('globex', 'X'), existing.details]).toEqual([
      missing.code,
      missing.message.replace('globez', 'X'),
      { node: PATHS.globex },
    ]);
  });

  it("leaks nothing of the other tenant's data in the refusal", async () => {
    const { set, resolve } = setup();
    await set.execute({ subject: admin, node: PATHS.globex, key: PARTS, value: 2, reason: 'x' });
    const error = unwrapErr(await resolve.execute({ subject: subjects.acmeAdmin, node: 'tenant:tenant-globex' }));
    expect(JSON.stringify(error)).not.toMatch(/n-globex|\/GLOBAL\/tenant:globex|"value"|2,/);
  });

  it('refuses a tenant the nodes above its own', async () => {
    const { resolve } = setup();
    const results = await Promise.all([PATHS.global, PATHS.kabul].map((node) => resolve.execute({ subject: subjects.acmeAdmin, node })));
    expect(results.map((r) => !r.ok && r.error.code)).toEqual(['CONFIG.NODE_NOT_FOUND', 'CONFIG.NODE_NOT_FOUND']);
  });

  it("refuses another tenant's node even when the answer is already cached", async () => {
    const { resolve } = setup();
    unwrap(await resolve.execute({ subject: admin, node: PATHS.globexOps }));
    expect(unwrapErr(await resolve.execute({ subject: subjects.acmeAdmin, node: PATHS.globexOps })).code).toBe('CONFIG.NODE_NOT_FOUND');
  });

  it("refuses a node that looks like the tenant's own but belongs to another tenant", async () => {
    const { resolve } = setup();
    expect(unwrapErr(await resolve.execute({ subject: subjects.acmeAdmin, node: PATHS.impostorAcme })).code).toBe('CONFIG.NODE_NOT_FOUND');
  });

  it.each([
    ['a parent segment', `${PATHS.acme}/../../../tenant:globex`],
    ['an encoded slash', `${PATHS.acme}%2F..%2F..%2Ftenant:globex`],
    ['a double slash', '/GLOBAL//tenant:globex'],
    ['a trailing slash', `${PATHS.globex}/`],
    ['upper case', '/GLOBAL/tenant:GLOBEX'],
  ])('refuses a path trick using %s without resolving anything', async (_label, node) => {
    const { world, resolve } = setup();
    const before = world.uow.transactions.length;
    const error = unwrapErr(await resolve.execute({ subject: subjects.acmeAdmin, node }));
    expect([error.code, world.uow.transactions.length]).toEqual(['CONFIG.INVALID_PATH', before]);
  });

  it('acts for the caller tenant in the store transaction (for row-level security)', async () => {
    const { world, resolve } = setup();
    await resolve.execute({ subject: subjects.acmeReader, node: PATHS.acme });
    expect(world.uow.transactions.at(-1)).toEqual({ tenantId: 'tenant-acme', readOnly: true });
  });
});
