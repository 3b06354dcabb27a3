import { describe, expect, it } from 'vitest';
import { ClearValueUseCase } from '../../../src/application/clear-value.use-case.js';
import { RemoveLockUseCase } from '../../../src/application/remove-lock.use-case.js';
import { ResolveConfigUseCase } from '../../../src/application/resolve-config.use-case.js';
import { SetLockUseCase } from '../../../src/application/set-lock.use-case.js';
import { SetValueUseCase } from '../../../src/application/set-value.use-case.js';
import { seedKeys } from '../../../src/domain/config-seed.js';
import { PATHS, createWorld, keyOf, subjects, unwrap, unwrapErr } from '../../support/world.js';

const PARTS = 'sms.max_parts_per_message';

function setup() {
  const world = createWorld();
  return {
    world,
    set: new SetValueUseCase(world.deps),
    clear: new ClearValueUseCase(world.deps),
    lock: new SetLockUseCase(world.deps),
    unlock: new RemoveLockUseCase(world.deps),
    resolve: new ResolveConfigUseCase(world.deps),
  };
}

const admin = subjects.platformAdmin;

describe('SetValueUseCase', () => {
  it('stores the override as a new version of the node with author, reason and diff', async () => {
    const { world, set } = setup();
    const result = unwrap(await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 4, reason: 'contract' }));
    const latest = world.uow.versionsOf('n-acme').at(-1);
    expect([result, latest?.author, latest?.reason, latest?.diff]).toEqual([
      { nodeId: 'n-acme', path: PATHS.acme, version: 2, changed: true },
      'user:root',
      'contract',
      [{ key: PARTS, before: { value: null, locked: false }, after: { value: 4, locked: false } }],
    ]);
  });

  it('publishes config.value.set.v1 through the outbox with before and after', async () => {
    const { world, set } = setup();
    await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 4, reason: 'first' });
    await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 5, reason: 'second' });
    expect(world.events('config.value.set.v1').map((e) => [e.data, e.aggregateId, e.tenantId])).toEqual([
      [expect.objectContaining({ before: null, after: 4, version: 2 }), 'n-acme', 'tenant-acme'],
      [expect.objectContaining({ before: 4, after: 5, version: 3 }), 'n-acme', 'tenant-acme'],
    ]);
  });

  it('redacts a sensitive value in the event', async () => {
    const { world, set } = setup();
    await set.execute({ subject: admin, node: PATHS.acme, key: 'webhook.signing_secret_ref', value: 'vault:kv/acme/webhook', reason: 'x' });
    expect(world.events('config.value.set.v1')[0]?.data).toMatchObject({ before: null, after: null, redacted: true });
  });

  it('changes nothing, and publishes nothing, when the value is already set', async () => {
    const { world, set } = setup();
    await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 4, reason: 'x' });
    const again = unwrap(await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 4, reason: 'x' }));
    expect([again.changed, again.version, world.events('config.value.set.v1')]).toEqual([false, 2, [expect.anything()]]);
  });

  it('refuses a value that breaks the key schema with the key and the rule, storing nothing', async () => {
    const { world, set } = setup();
    const error = unwrapErr(await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 0, reason: 'x' }));
    expect([error.code, error.details, world.node(PATHS.acme).version, world.events()]).toEqual([
      'CONFIG.VALUE_REJECTED',
      { key: PARTS, rule: 'minimum' },
      1,
      [],
    ]);
  });

  it('refuses an unknown key', async () => {
    const { set } = setup();
    const error = unwrapErr(await set.execute({ subject: admin, node: PATHS.acme, key: 'sms.nope', value: 1, reason: 'x' }));
    expect(error.code).toBe('CONFIG.KEY_NOT_FOUND');
  });

  it('answers not found, not key-not-found, to a caller that may not see the node', async () => {
    const { set } = setup();
    const error = unwrapErr(await set.execute({ subject: subjects.globexAdmin, node: PATHS.acme, key: 'sms.nope', value: 1, reason: 'x' }));
    expect(error.code).toBe('CONFIG.NODE_NOT_FOUND');
  });

  it('refuses a change without a reason', async () => {
    const { set } = setup();
    const error = unwrapErr(await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 4, reason: ' ' }));
    expect(error.details).toEqual({ field: 'reason' });
  });

  it('refuses a malformed subject', async () => {
    const { set } = setup();
    const error = unwrapErr(await set.execute({ subject: { ...admin, id: '' }, node: PATHS.acme, key: PARTS, value: 4, reason: 'x' }));
    expect(error.details).toEqual({ field: 'subject.id' });
  });

  it('refuses a change made against a version that is no longer current', async () => {
    const { set } = setup();
    await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 4, reason: 'x' });
    const error = unwrapErr(await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 5, reason: 'x', expectedVersion: 1 }));
    expect(error).toMatchObject({ code: 'CONFIG.VERSION_CONFLICT', details: { currentVersion: 2 } });
  });

  it('accepts a change made against the current version', async () => {
    const { set } = setup();
    const result = unwrap(await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 5, reason: 'x', expectedVersion: 1 }));
    expect(result.version).toBe(2);
  });

  it('refuses a value for a key locked above, naming the locking node', async () => {
    const { set, lock } = setup();
    await lock.execute({ subject: admin, node: PATHS.kabul, key: PARTS, reason: 'cap' });
    const error = unwrapErr(await set.execute({ subject: admin, node: PATHS.acmeBilling, key: PARTS, value: 4, reason: 'x' }));
    expect(error).toMatchObject({ code: 'CONFIG.KEY_LOCKED', details: { key: PARTS, lockedAt: PATHS.kabul } });
  });

  it('runs the change in a transaction acting for the caller tenant (for row-level security)', async () => {
    const { world, set } = setup();
    await set.execute({ subject: subjects.acmeAdmin, node: PATHS.acme, key: PARTS, value: 4, reason: 'x' });
    expect(world.uow.transactions.at(-1)).toEqual({ tenantId: 'tenant-acme' });
  });

  it('drops the cached resolution of the node and its subtree after the change', async () => {
    const { set, resolve } = setup();
    await resolve.execute({ subject: admin, node: PATHS.acmeBilling });
    await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 3, reason: 'x' });
    const after = unwrap(await resolve.execute({ subject: admin, node: PATHS.acmeBilling }));
    expect([after.cached, after.values[PARTS]?.value]).toEqual([false, 3]);
  });

  it('still reports success when the cache fails after the commit', async () => {
    const { world, set } = setup();
    world.cache.invalidate = () => Promise.reject(new Error('redis down'));
    const result = await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 3, reason: 'x' });
    expect(result.ok).toBe(true);
  });
});

describe('ClearValueUseCase', () => {
  it('makes the value follow the parent again', async () => {
    const { set, clear, resolve } = setup();
    await set.execute({ subject: admin, node: PATHS.kabul, key: PARTS, value: 5, reason: 'region' });
    await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 2, reason: 'tenant' });
    await clear.execute({ subject: admin, node: PATHS.acme, key: PARTS, reason: 'back to regional' });
    const resolved = unwrap(await resolve.execute({ subject: admin, node: PATHS.acme }));
    expect(resolved.values[PARTS]).toMatchObject({ value: 5, source: { kind: 'node', path: PATHS.kabul } });
  });

  it('publishes config.value.cleared.v1 with the value that was cleared', async () => {
    const { world, set, clear } = setup();
    await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 2, reason: 'x' });
    await clear.execute({ subject: admin, node: PATHS.acme, key: PARTS, reason: 'y' });
    expect(world.events('config.value.cleared.v1')[0]?.data).toMatchObject({ key: PARTS, before: 2, version: 3, reason: 'y' });
  });

  it('changes nothing when there is no override', async () => {
    const { world, clear } = setup();
    const result = unwrap(await clear.execute({ subject: admin, node: PATHS.acme, key: PARTS, reason: 'x' }));
    expect([result.changed, world.events()]).toEqual([false, []]);
  });

  it('clears the override of a deprecated key', async () => {
    const { world, set, clear } = setup();
    await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 2, reason: 'x' });
    world.uow.seed({ keys: [{ ...keyOf(seedKeys[0]!), deprecated: true }] });
    expect(unwrap(await clear.execute({ subject: admin, node: PATHS.acme, key: PARTS, reason: 'x' })).changed).toBe(true);
  });
});

describe('SetLockUseCase and RemoveLockUseCase', () => {
  it('locks a key and publishes config.lock.set.v1', async () => {
    const { world, lock } = setup();
    const result = unwrap(await lock.execute({ subject: admin, node: PATHS.kabul, key: PARTS, reason: 'cap' }));
    expect([result.version, world.node(PATHS.kabul).locks, world.events('config.lock.set.v1')[0]?.data]).toEqual([
      2,
      [PARTS],
      expect.objectContaining({ key: PARTS, path: PATHS.kabul, tenantId: null }),
    ]);
  });

  it('makes resolution ignore overrides below the lock', async () => {
    const { set, lock, resolve } = setup();
    await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 9, reason: 'tenant' });
    await set.execute({ subject: admin, node: PATHS.kabul, key: PARTS, value: 3, reason: 'region' });
    await lock.execute({ subject: admin, node: PATHS.kabul, key: PARTS, reason: 'cap' });
    const resolved = unwrap(await resolve.execute({ subject: admin, node: PATHS.acme }));
    expect(resolved.values[PARTS]).toMatchObject({ value: 3, lockedAt: { path: PATHS.kabul } });
  });

  it('lets overrides below count again once the lock is removed', async () => {
    const { set, lock, unlock, resolve } = setup();
    await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 9, reason: 'tenant' });
    await lock.execute({ subject: admin, node: PATHS.kabul, key: PARTS, reason: 'cap' });
    await unlock.execute({ subject: admin, node: PATHS.kabul, key: PARTS, reason: 'lifted' });
    const resolved = unwrap(await resolve.execute({ subject: admin, node: PATHS.acme }));
    expect(resolved.values[PARTS]).toMatchObject({ value: 9, lockedAt: null });
  });

  it('publishes config.lock.removed.v1', async () => {
    const { world, lock, unlock } = setup();
    await lock.execute({ subject: admin, node: PATHS.kabul, key: PARTS, reason: 'cap' });
    await unlock.execute({ subject: admin, node: PATHS.kabul, key: PARTS, reason: 'lifted' });
    expect(world.events('config.lock.removed.v1')[0]?.data).toMatchObject({ key: PARTS, version: 3, reason: 'lifted' });
  });

  it('refuses to lock a key already locked above', async () => {
    const { lock } = setup();
    await lock.execute({ subject: admin, node: PATHS.global, key: PARTS, reason: 'cap' });
    const error = unwrapErr(await lock.execute({ subject: admin, node: PATHS.kabul, key: PARTS, reason: 'cap' }));
    expect(error.code).toBe('CONFIG.KEY_LOCKED');
  });
});
