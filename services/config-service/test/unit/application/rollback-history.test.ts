import { describe, expect, it } from 'vitest';
import { ClearValueUseCase } from '../../../src/application/clear-value.use-case.js';
import { GetNodeHistoryUseCase } from '../../../src/application/get-node-history.use-case.js';
import { ResolveConfigUseCase } from '../../../src/application/resolve-config.use-case.js';
import { RollbackNodeUseCase } from '../../../src/application/rollback-node.use-case.js';
import { SetLockUseCase } from '../../../src/application/set-lock.use-case.js';
import { SetValueUseCase } from '../../../src/application/set-value.use-case.js';
import { UpdateKeyUseCase } from '../../../src/application/update-key.use-case.js';
import { PATHS, createWorld, subjects, unwrap, unwrapErr } from '../../support/world.js';

const admin = subjects.platformAdmin;
const PARTS = 'sms.max_parts_per_message';
const RATE = 'sms.submit_rate_per_second';
const SECRET = 'webhook.signing_secret_ref';

async function setup() {
  const world = createWorld();
  const set = new SetValueUseCase(world.deps);
  const clear = new ClearValueUseCase(world.deps);
  await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 4, reason: 'v2' });
  await set.execute({ subject: admin, node: PATHS.acme, key: RATE, value: 50, reason: 'v3' });
  await clear.execute({ subject: admin, node: PATHS.acme, key: PARTS, reason: 'v4' });
  return {
    world,
    set,
    lock: new SetLockUseCase(world.deps),
    rollback: new RollbackNodeUseCase(world.deps),
    history: new GetNodeHistoryUseCase(world.deps),
    resolve: new ResolveConfigUseCase(world.deps),
    updateKey: new UpdateKeyUseCase(world.deps),
  };
}

describe('RollbackNodeUseCase', () => {
  it('restores an earlier version as a new version', async () => {
    const { world, rollback } = await setup();
    const result = unwrap(await rollback.execute({ subject: admin, node: PATHS.acme, toVersion: 3, reason: 'undo clear' }));
    expect([result.version, world.node(PATHS.acme).overrides, world.uow.versionsOf('n-acme').at(-1)?.rolledBackTo]).toEqual([
      5,
      { [PARTS]: 4, [RATE]: 50 },
      3,
    ]);
  });

  it('publishes config.node.rolled-back.v1 with the diff', async () => {
    const { world, rollback } = await setup();
    await rollback.execute({ subject: admin, node: PATHS.acme, toVersion: 3, reason: 'undo clear' });
    expect(world.events('config.node.rolled-back.v1')[0]?.data).toMatchObject({
      toVersion: 3,
      version: 5,
      diff: [{ key: PARTS, before: { value: null, locked: false }, after: { value: 4, locked: false }, redacted: false }],
    });
  });

  it('makes resolution follow the restored state', async () => {
    const { rollback, resolve } = await setup();
    await resolve.execute({ subject: admin, node: PATHS.acme });
    await rollback.execute({ subject: admin, node: PATHS.acme, toVersion: 1, reason: 'back to defaults' });
    const resolved = unwrap(await resolve.execute({ subject: admin, node: PATHS.acme }));
    expect([resolved.values[PARTS]?.source, resolved.values[RATE]?.value]).toEqual([{ kind: 'default' }, 100]);
  });

  it('refuses to restore a value that breaks the current key schema', async () => {
    const { world, rollback, updateKey, set } = await setup();
    await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 8, reason: 'v5' });
    await set.execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 2, reason: 'v6' });
    unwrap(await updateKey.execute({ subject: admin, key: PARTS, changes: { schema: { type: 'integer', minimum: 1, maximum: 5, default: 3 } }, reason: 'cap' }));
    const error = unwrapErr(await rollback.execute({ subject: admin, node: PATHS.acme, toVersion: 5, reason: 'x' }));
    expect([error.code, error.details?.['problems'], world.node(PATHS.acme).version]).toEqual([
      'CONFIG.ROLLBACK_REJECTED',
      [expect.objectContaining({ key: PARTS, rule: 'maximum' })],
      6,
    ]);
  });

  it('refuses to restore an override of a key that is now locked above', async () => {
    const { rollback, lock } = await setup();
    await lock.execute({ subject: admin, node: PATHS.kabul, key: PARTS, reason: 'cap' });
    const error = unwrapErr(await rollback.execute({ subject: admin, node: PATHS.acme, toVersion: 3, reason: 'x' }));
    expect(error.details?.['problems']).toEqual([expect.objectContaining({ key: PARTS, rule: 'locked' })]);
  });

  it('changes nothing when the node is already in the target state', async () => {
    const { rollback } = await setup();
    const result = unwrap(await rollback.execute({ subject: admin, node: PATHS.acme, toVersion: 4, reason: 'x' }));
    expect([result.changed, result.version]).toEqual([false, 4]);
  });

  it('refuses a version that does not exist', async () => {
    const { rollback } = await setup();
    expect(unwrapErr(await rollback.execute({ subject: admin, node: PATHS.acme, toVersion: 99, reason: 'x' })).code).toBe('CONFIG.VERSION_NOT_FOUND');
  });

  it.each([0, -1, 1.5])('refuses the version number %s', async (toVersion) => {
    const { rollback } = await setup();
    expect(unwrapErr(await rollback.execute({ subject: admin, node: PATHS.acme, toVersion, reason: 'x' })).details).toEqual({ field: 'toVersion' });
  });

  it('refuses a rollback against a stale version', async () => {
    const { rollback } = await setup();
    expect(unwrapErr(await rollback.execute({ subject: admin, node: PATHS.acme, toVersion: 2, reason: 'x', expectedVersion: 2 })).code).toBe(
      'CONFIG.VERSION_CONFLICT',
    );
  });

  it('refuses a read-only subject', async () => {
    const { rollback } = await setup();
    expect(unwrapErr(await rollback.execute({ subject: subjects.acmeReader, node: PATHS.acme, toVersion: 2, reason: 'x' })).code).toBe(
      'CONFIG.ACCESS_DENIED',
    );
  });
});

describe('GetNodeHistoryUseCase', () => {
  it('lists versions newest first with author, reason and diff', async () => {
    const { history } = await setup();
    const versions = unwrap(await history.execute({ subject: subjects.acmeReader, node: PATHS.acme }));
    expect(versions.map((v) => [v.version, v.change, v.reason])).toEqual([
      [4, 'value.cleared', 'v4'],
      [3, 'value.set', 'v3'],
      [2, 'value.set', 'v2'],
      [1, 'node.created', 'test arrangement'],
    ]);
  });

  it('pages backwards', async () => {
    const { history } = await setup();
    const page = unwrap(await history.execute({ subject: admin, node: PATHS.acme, limit: 2, beforeVersion: 4 }));
    expect(page.map((v) => v.version)).toEqual([3, 2]);
  });

  it('redacts sensitive values for a caller without sensitive.read', async () => {
    const { set, history } = await setup();
    await set.execute({ subject: admin, node: PATHS.acme, key: SECRET, value: 'vault:acme', reason: 'x' });
    const [latest] = unwrap(await history.execute({ subject: subjects.acmeAdmin, node: PATHS.acme, limit: 1 }));
    expect(latest?.diff).toEqual([{ key: SECRET, before: { value: null, redacted: false, locked: false }, after: { value: null, redacted: true, locked: false } }]);
  });

  it('shows sensitive values to a platform admin', async () => {
    const { set, history } = await setup();
    await set.execute({ subject: admin, node: PATHS.acme, key: SECRET, value: 'vault:acme', reason: 'x' });
    const [latest] = unwrap(await history.execute({ subject: admin, node: PATHS.acme, limit: 1 }));
    expect(latest?.diff[0]?.after).toEqual({ value: 'vault:acme', redacted: false, locked: false });
  });

  it.each([0, 201])('refuses the page size %s', async (limit) => {
    const { history } = await setup();
    expect(unwrapErr(await history.execute({ subject: admin, node: PATHS.acme, limit })).details).toEqual({ field: 'limit' });
  });

  it("answers not found for another tenant's history", async () => {
    const { history } = await setup();
    expect(unwrapErr(await history.execute({ subject: subjects.globexAdmin, node: PATHS.acme })).code).toBe('CONFIG.NODE_NOT_FOUND');
  });
});
