import { describe, expect, it } from 'vitest';
import { DefineKeyUseCase } from '../../../src/application/define-key.use-case.js';
import { ListKeysUseCase } from '../../../src/application/list-keys.use-case.js';
import { ResolveConfigUseCase } from '../../../src/application/resolve-config.use-case.js';
import { SetValueUseCase } from '../../../src/application/set-value.use-case.js';
import { UpdateKeyUseCase } from '../../../src/application/update-key.use-case.js';
import { PATHS, createWorld, subjects, unwrap, unwrapErr } from '../../support/world.js';

const admin = subjects.platformAdmin;
const draft = {
  key: 'sms.unicode_allowed',
  schema: { type: 'boolean', default: true } as const,
  description: 'Whether UCS-2 messages are accepted.',
  sensitive: false,
  ownerService: 'sms-orchestrator',
};

function setup() {
  const world = createWorld();
  return {
    world,
    define: new DefineKeyUseCase(world.deps),
    update: new UpdateKeyUseCase(world.deps),
    list: new ListKeysUseCase(world.deps),
    set: new SetValueUseCase(world.deps),
    resolve: new ResolveConfigUseCase(world.deps),
  };
}

describe('DefineKeyUseCase', () => {
  it('adds a key, publishes config.key.defined.v1 and its default resolves everywhere at once', async () => {
    const { world, define, resolve } = setup();
    await resolve.execute({ subject: admin, node: PATHS.acme });
    const defined = unwrap(await define.execute({ subject: admin, draft }));
    const resolved = unwrap(await resolve.execute({ subject: admin, node: PATHS.acme }));
    expect([defined.version, world.events('config.key.defined.v1')[0]?.data, resolved.values[draft.key]?.value]).toEqual([
      1,
      expect.objectContaining({ key: draft.key, schema: { type: 'boolean', default: true }, actor: { subjectId: 'user:root' } }),
      true,
    ]);
  });

  it('refuses a key that is already defined', async () => {
    const { define } = setup();
    expect(unwrapErr(await define.execute({ subject: admin, draft: { ...draft, key: 'sms.max_parts_per_message' } })).code).toBe('CONFIG.KEY_EXISTS');
  });

  it('refuses an inconsistent schema', async () => {
    const { define } = setup();
    const error = unwrapErr(await define.execute({ subject: admin, draft: { ...draft, schema: { type: 'integer', minimum: 3, maximum: 1 } } }));
    expect(error.code).toBe('CONFIG.INVALID_KEY_SCHEMA');
  });

  it('refuses a tenant admin', async () => {
    const { define } = setup();
    expect(unwrapErr(await define.execute({ subject: subjects.acmeAdmin, draft })).code).toBe('CONFIG.ACCESS_DENIED');
  });

  it('leaves the default of a sensitive key out of its event', async () => {
    const { world, define } = setup();
    await define.execute({ subject: admin, draft: { ...draft, key: 'webhook.default_ref', schema: { type: 'string', default: 'vault:x' }, sensitive: true } });
    expect(world.events('config.key.defined.v1')[0]?.data).toEqual(expect.objectContaining({ schema: { type: 'string' } }));
  });
});

describe('UpdateKeyUseCase', () => {
  it('changes a schema as a new version and publishes before and after', async () => {
    const { world, update } = setup();
    const updated = unwrap(
      await update.execute({ subject: admin, key: 'sms.max_parts_per_message', changes: { schema: { type: 'integer', minimum: 1, maximum: 16, default: 6 } }, reason: 'more parts' }),
    );
    expect(updated.version).toBe(2);
    expect(world.events('config.key.updated.v1')[0]?.data).toMatchObject({
      before: { schema: { type: 'integer', minimum: 1, maximum: 10, default: 6 } },
      after: { schema: { type: 'integer', minimum: 1, maximum: 16, default: 6 } },
      reason: 'more parts',
    });
  });

  it('refuses a schema that stored overrides would break, naming them', async () => {
    const { set, update } = setup();
    await set.execute({ subject: admin, node: PATHS.acme, key: 'sms.max_parts_per_message', value: 8, reason: 'x' });
    const error = unwrapErr(
      await update.execute({ subject: admin, key: 'sms.max_parts_per_message', changes: { schema: { type: 'integer', minimum: 1, maximum: 5 } }, reason: 'x' }),
    );
    expect(error).toMatchObject({ code: 'CONFIG.SCHEMA_CONFLICT', details: { nodes: [{ path: PATHS.acme, rule: 'maximum' }] } });
  });

  it('deprecates a key: it keeps resolving but takes no new value', async () => {
    const { update, set, resolve } = setup();
    unwrap(await update.execute({ subject: admin, key: 'sms.max_parts_per_message', changes: { deprecated: true }, reason: 'replaced' }));
    const refused = unwrapErr(await set.execute({ subject: admin, node: PATHS.acme, key: 'sms.max_parts_per_message', value: 3, reason: 'x' }));
    const resolved = unwrap(await resolve.execute({ subject: admin, node: PATHS.acme }));
    expect([refused.code, resolved.values['sms.max_parts_per_message']]).toEqual(['CONFIG.KEY_DEPRECATED', expect.objectContaining({ value: 6, deprecated: true })]);
  });

  it('refuses an unknown key', async () => {
    const { update } = setup();
    expect(unwrapErr(await update.execute({ subject: admin, key: 'sms.nope', changes: {}, reason: 'x' })).code).toBe('CONFIG.KEY_NOT_FOUND');
  });

  it('refuses an update against a stale version', async () => {
    const { update } = setup();
    expect(unwrapErr(await update.execute({ subject: admin, key: 'sms.max_parts_per_message', changes: {}, reason: 'x', expectedVersion: 2 })).code).toBe(
      'CONFIG.VERSION_CONFLICT',
    );
  });

  it('refuses an update without a reason', async () => {
    const { update } = setup();
    expect(unwrapErr(await update.execute({ subject: admin, key: 'sms.max_parts_per_message', changes: {}, reason: '' })).details).toEqual({ field: 'reason' });
  });

  it('refuses a service', async () => {
    const { update } = setup();
    expect(unwrapErr(await update.execute({ subject: subjects.orchestrator, key: 'sms.max_parts_per_message', changes: {}, reason: 'x' })).code).toBe(
      'CONFIG.ACCESS_DENIED',
    );
  });

  it('refuses an update that makes the definition invalid', async () => {
    const { update } = setup();
    const error = unwrapErr(await update.execute({ subject: admin, key: 'sms.max_parts_per_message', changes: { ownerService: 'Not A Service' }, reason: 'x' }));
    expect(error.details).toEqual({ field: 'ownerService' });
  });
});

describe('ListKeysUseCase', () => {
  it('lists the whole catalogue to a platform admin', async () => {
    const { list } = setup();
    expect(unwrap(await list.execute({ subject: admin })).map((k) => k.key)).toEqual([
      'routing.failover_timeout',
      'sms.default_sender',
      'sms.max_parts_per_message',
      'sms.submit_rate_per_second',
      'webhook.signing_secret_ref',
    ]);
  });

  it('lists only its own keys to a service', async () => {
    const { list } = setup();
    expect(unwrap(await list.execute({ subject: subjects.routing })).map((k) => k.key)).toEqual(['routing.failover_timeout']);
  });

  it('hides the default of a sensitive key from those who may not change the key', async () => {
    const { world, list } = setup();
    world.uow.seed({
      keys: [{ key: 'webhook.default_ref', schema: { type: 'string', default: 'vault:x' }, description: '', sensitive: true, ownerService: null, deprecated: false, version: 1, definedAt: '', updatedAt: '' }],
    });
    const forTenant = unwrap(await list.execute({ subject: subjects.acmeAdmin })).find((k) => k.key === 'webhook.default_ref');
    const forAdmin = unwrap(await list.execute({ subject: admin })).find((k) => k.key === 'webhook.default_ref');
    expect([forTenant?.schema, forAdmin?.schema]).toEqual([{ type: 'string' }, { type: 'string', default: 'vault:x' }]);
  });
});
