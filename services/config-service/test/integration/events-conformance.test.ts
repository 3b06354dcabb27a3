import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { isUuid } from '@sms/kernel';
import type { EventEnvelope } from '@sms/kernel';
// The contracts package has no index yet (the lead writes it); this test reads the one file this service owns.
import { configServiceEvents } from '../../../../packages/contracts/src/events/config-service.events.js';
import { CONFIG_EVENT_TYPES } from '../../src/domain/config-events.js';
import { eventually, startServiceFixture } from '../support/service-fixture.js';
import type { Collector, ServiceFixture } from '../support/service-fixture.js';
import { TENANTS, TREE, actors, createTree } from '../support/tree.js';

const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats.default(ajv);
const validators = new Map(configServiceEvents.map((c) => [c.type, ajv.compile(c.schema)]));
const PARTS = 'sms.max_parts_per_message';
const SECRET = 'webhook.signing_secret_ref';
const admin = actors.platformAdmin;

/** The result of a use case that must succeed for the arrangement to make sense. */
const must = <T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

/**
 * Event schema conformance on what the PostgreSQL path really writes to the outbox and what the
 * relay really puts on NATS JetStream: one use case per event type on the real adapters, then
 * every outbox row and every delivered message is validated against its contract.
 */
describe('event conformance of the outbox on PostgreSQL and NATS', () => {
  let service: ServiceFixture;
  let delivered: Collector;
  let written: EventEnvelope[];

  beforeAll(async () => {
    service = await startServiceFixture('cfg_conformance');
    delivered = await service.collect(['config.>']);
    const u = service.runtime.useCases;
    await createTree(u.createNode);
    must(await u.defineKey.execute({ subject: admin, draft: { key: SECRET, schema: { type: 'string', maxLength: 200 }, description: 'secret ref', sensitive: true, ownerService: 'sms-orchestrator' } }));
    must(
      await u.defineKey.execute({
        subject: admin,
        draft: { key: 'routing.failover_timeout', schema: { type: 'duration', minimum: '100ms', maximum: '1m', default: '5s' }, description: '', sensitive: false, ownerService: 'routing-engine' },
      }),
    );
    must(await u.setValue.execute({ subject: admin, node: TREE.acme, key: PARTS, value: 4, reason: 'r' }));
    must(await u.setValue.execute({ subject: admin, node: TREE.acme, key: SECRET, value: 'vault:acme/webhook', reason: 'r' }));
    must(await u.clearValue.execute({ subject: admin, node: TREE.acme, key: PARTS, reason: 'r' }));
    must(await u.rollback.execute({ subject: admin, node: TREE.acme, toVersion: 2, reason: 'r' }));
    must(await u.setLock.execute({ subject: admin, node: TREE.kabul, key: PARTS, reason: 'r' }));
    must(await u.removeLock.execute({ subject: admin, node: TREE.kabul, key: PARTS, reason: 'r' }));
    must(await u.moveNode.execute({ subject: admin, node: TREE.globex, newParent: TREE.kabul, reason: 'r' }));
    must(await u.deleteNode.execute({ subject: admin, node: '/GLOBAL/region:kabul/tenant:globex', reason: 'r' }));
    must(await u.updateKey.execute({ subject: admin, key: 'routing.failover_timeout', changes: { schema: { type: 'duration', minimum: '100ms', maximum: '2m', default: '5s' } }, reason: 'r' }));
    must(await u.assignRole.execute({ subject: admin, assignee: 'user:a', role: 'tenant-admin', tenantId: TENANTS.acme, reason: 'r' }));
    must(await u.revokeRole.execute({ subject: admin, assignee: 'user:a', role: 'tenant-admin', tenantId: TENANTS.acme, reason: 'r' }));
    must(
      await u.putRole.execute({
        subject: admin,
        name: 'billing-editor',
        description: 'd',
        tenantAssignable: true,
        grants: [{ actions: ['value.set'], scope: 'own-tenant', keys: 'all' }],
        reason: 'r',
      }),
    );
    written = (await service.db.admin<{ payload: EventEnvelope }>(`SELECT payload FROM config.outbox ORDER BY seq`)).map((r) => r.payload);
    await eventually(() => expect(delivered.messages).toHaveLength(written.length));
  });
  afterAll(async () => {
    await service.cleanup();
  });

  const failuresOf = (events: readonly EventEnvelope[]): string[] =>
    events.flatMap((e) => {
      const validate = validators.get(e.type);
      if (validate === undefined) return [`${e.type}: no contract`];
      return validate(e.data) ? [] : [`${e.type}: ${ajv.errorsText(validate.errors)}`];
    });

  it('writes all 13 event types to the outbox', () => {
    expect([...new Set(written.map((e) => e.type))].sort()).toEqual(Object.values(CONFIG_EVENT_TYPES).sort());
  });

  it('writes every event with data that conforms to the schema of its type', () => {
    expect(failuresOf(written)).toEqual([]);
  });

  it('writes well-formed envelopes: UUID id, ISO time, the aggregate and the tenant of the change', () => {
    const problems = written.filter(
      (e) =>
        !isUuid(e.id) ||
        Number.isNaN(Date.parse(e.occurredAt)) ||
        !['config-node', 'config-key', 'config-role', 'config-role-assignment'].includes(e.aggregateType) ||
        e.aggregateId === '' ||
        (e.aggregateType === 'config-node' && e.tenantId !== (e.data as { tenantId: string | null }).tenantId),
    );

    expect(problems).toEqual([]);
  });

  it('delivers on NATS exactly what the outbox holds, on the subject of each type, and it conforms too', () => {
    const envelopes = delivered.envelopes();

    expect(envelopes.map((e) => e.id).sort()).toEqual(written.map((e) => e.id).sort());
    expect(delivered.messages.every((m, i) => m.subject === `${service.prefix}.${envelopes[i]?.type ?? ''}` && m.msgId === envelopes[i]?.id)).toBe(true);
    expect(failuresOf(envelopes)).toEqual([]);
  });

  it('never writes a sensitive value into an event', () => {
    expect(JSON.stringify(written)).not.toContain('vault:acme/webhook');
  });
});
