import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { isValidEventType } from '@sms/kernel';
// The contracts package has no index yet (the lead writes it); this test reads the one file this service owns.
import { configServiceEvents } from '../../../../packages/contracts/src/events/config-service.events.js';
import { AssignRoleUseCase } from '../../src/application/assign-role.use-case.js';
import { ClearValueUseCase } from '../../src/application/clear-value.use-case.js';
import { CreateNodeUseCase } from '../../src/application/create-node.use-case.js';
import { DefineKeyUseCase } from '../../src/application/define-key.use-case.js';
import { DeleteNodeUseCase } from '../../src/application/delete-node.use-case.js';
import { MoveNodeUseCase } from '../../src/application/move-node.use-case.js';
import { PutRoleUseCase } from '../../src/application/put-role.use-case.js';
import { RemoveLockUseCase } from '../../src/application/remove-lock.use-case.js';
import { RevokeRoleUseCase } from '../../src/application/revoke-role.use-case.js';
import { RollbackNodeUseCase } from '../../src/application/rollback-node.use-case.js';
import { SetLockUseCase } from '../../src/application/set-lock.use-case.js';
import { SetValueUseCase } from '../../src/application/set-value.use-case.js';
import { UpdateKeyUseCase } from '../../src/application/update-key.use-case.js';
import { CONFIG_EVENT_TYPES } from '../../src/domain/config-events.js';
import { PATHS, createWorld, subjects, unwrap } from '../support/world.js';

const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats.default(ajv);
const validators = new Map(configServiceEvents.map((c) => [c.type, ajv.compile(c.schema)]));

/** Runs one use case per event type and returns every event committed to the outbox. */
async function produceEveryEvent() {
  const world = createWorld();
  const admin = subjects.platformAdmin;
  const PARTS = 'sms.max_parts_per_message';
  unwrap(await new CreateNodeUseCase(world.deps).execute({ subject: admin, parent: PATHS.global, level: 'operator', name: 'roshan', reason: 'r' }));
  unwrap(await new SetValueUseCase(world.deps).execute({ subject: admin, node: PATHS.acme, key: PARTS, value: 4, reason: 'r' }));
  unwrap(await new SetValueUseCase(world.deps).execute({ subject: admin, node: PATHS.acme, key: 'webhook.signing_secret_ref', value: 'vault:x', reason: 'r' }));
  unwrap(await new SetValueUseCase(world.deps).execute({ subject: admin, node: PATHS.acme, key: 'sms.default_sender', value: 'ACME', reason: 'r' }));
  unwrap(await new ClearValueUseCase(world.deps).execute({ subject: admin, node: PATHS.acme, key: PARTS, reason: 'r' }));
  unwrap(await new RollbackNodeUseCase(world.deps).execute({ subject: admin, node: PATHS.acme, toVersion: 2, reason: 'r' }));
  unwrap(await new SetLockUseCase(world.deps).execute({ subject: admin, node: PATHS.kabul, key: PARTS, reason: 'r' }));
  unwrap(await new RemoveLockUseCase(world.deps).execute({ subject: admin, node: PATHS.kabul, key: PARTS, reason: 'r' }));
  unwrap(await new MoveNodeUseCase(world.deps).execute({ subject: admin, node: PATHS.globex, newParent: PATHS.kabul, reason: 'r' }));
  unwrap(await new DeleteNodeUseCase(world.deps).execute({ subject: admin, node: '/GLOBAL/region:kabul/tenant:globex', reason: 'r' }));
  unwrap(
    await new DefineKeyUseCase(world.deps).execute({
      subject: admin,
      draft: { key: 'sms.allowed_encodings', schema: { type: 'string-list', itemPattern: '[a-z0-9]+', uniqueItems: true, default: ['gsm7'] }, description: '', sensitive: false, ownerService: null },
    }),
  );
  unwrap(await new UpdateKeyUseCase(world.deps).execute({ subject: admin, key: 'routing.failover_timeout', changes: { schema: { type: 'duration', minimum: '100ms', maximum: '2m', default: '5s' } }, reason: 'r' }));
  unwrap(await new AssignRoleUseCase(world.deps).execute({ subject: admin, assignee: 'user:a', role: 'tenant-admin', tenantId: 'tenant-acme', reason: 'r' }));
  unwrap(await new RevokeRoleUseCase(world.deps).execute({ subject: admin, assignee: 'user:a', role: 'tenant-admin', tenantId: 'tenant-acme', reason: 'r' }));
  unwrap(
    await new PutRoleUseCase(world.deps).execute({
      subject: admin,
      name: 'billing-editor',
      description: 'd',
      tenantAssignable: true,
      grants: [{ actions: ['value.set'], scope: 'own-tenant', keys: 'all' }],
      reason: 'r',
    }),
  );
  return world.events();
}

describe('config-service event contracts', () => {
  it('declares exactly 13 event types, each once', () => {
    const types = configServiceEvents.map((c) => c.type);
    expect([types.length, new Set(types).size]).toEqual([13, 13]);
  });

  it('declares the same 13 types the domain produces', () => {
    expect(configServiceEvents.map((c) => c.type).sort()).toEqual(Object.values(CONFIG_EVENT_TYPES).sort());
  });

  it('names every type <domain>.<entity>.<verb>.v<N>, published on the subject of the same name by config-service', () => {
    expect(configServiceEvents.every((c) => isValidEventType(c.type) && c.subject === c.type && c.producer === 'config-service')).toBe(true);
  });

  it.each(configServiceEvents.map((c) => [c.type, c] as const))('%s has a valid example', (_type, contract) => {
    const validate = validators.get(contract.type)!;
    expect([validate(contract.example), validate.errors ?? null]).toEqual([true, null]);
  });

  it.each(configServiceEvents.map((c) => [c.type, c] as const))('%s refuses a property it does not declare', (_type, contract) => {
    expect(validators.get(contract.type)!({ ...contract.example, unexpected: true })).toBe(false);
  });

  it('has no password or secret field in any schema', () => {
    expect(JSON.stringify(configServiceEvents.map((c) => c.schema))).not.toMatch(/"(password|secret|token)"/i);
  });

  it('produces all 13 event types from the use cases, each conforming to its schema', async () => {
    const produced = await produceEveryEvent();
    const failures = produced.flatMap((e) => {
      const validate = validators.get(e.type);
      if (validate === undefined) return [`${e.type}: no contract`];
      return validate(e.data) ? [] : [`${e.type}: ${ajv.errorsText(validate.errors)}`];
    });
    expect([failures, new Set(produced.map((e) => e.type)).size]).toEqual([[], 13]);
  });

  it('lists every event type in docs/events.md', () => {
    const doc = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
    expect(configServiceEvents.map((c) => c.type).filter((t) => !doc.includes(`\`${t}\``))).toEqual([]);
  });
});
