import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { err, uuidv7 } from '@sms/kernel';
import type { EventEnvelope } from '@sms/kernel';
import { PostgresUnitOfWork } from '../../src/adapters/postgres/postgres-unit-of-work.js';
import { systemClock } from '@sms/kernel';
import { SCHEMA } from '../support/config-database.js';
import { eventually, startServiceFixture } from '../support/service-fixture.js';
import type { ServiceFixture } from '../support/service-fixture.js';
import { actors } from '../support/tree.js';

const PARTS = 'sms.max_parts_per_message';
const admin = actors.platformAdmin;
/** How long "nothing arrived" is watched for, after a later control event proved the pipe live. */
const QUIET_MS = 300;

/**
 * The outbox of config-service on PostgreSQL and NATS JetStream (readiness checklist: outbox):
 * events are written in the transaction of the change, relayed to JetStream with the event id as
 * message id, in order per node; a change that rolls back publishes nothing.
 */
describe('config-service outbox', () => {
  let service: ServiceFixture;

  beforeAll(async () => {
    service = await startServiceFixture('cfg_outbox');
  });
  afterAll(async () => {
    await service.cleanup();
  });

  /** A region of its own per test, so that no test sees another's changes (a new durable replays the stream). */
  let regions = 0;
  const freshRegion = async (): Promise<string> => {
    regions += 1;
    const created = await service.runtime.useCases.createNode.execute({ subject: admin, parent: '/GLOBAL', level: 'region', name: `r${regions}`, reason: 'arrange' });
    if (!created.ok) throw new Error(created.error.message);
    return created.value.path;
  };
  const onNode = (node: string) => (e: EventEnvelope): boolean => (e.data as { path: string }).path === node;

  const outboxRows = async (): Promise<Array<{ id: string; event_type: string; payload: EventEnvelope }>> =>
    service.db.admin(`SELECT id, event_type, payload FROM config.outbox ORDER BY seq`);

  it('writes the event in the transaction of the change, and the relay publishes it with the event id as message id', async () => {
    const node = await freshRegion();
    const collector = await service.collect(['config.value.set.v1']);

    const set = await service.runtime.useCases.setValue.execute({ subject: admin, node, key: PARTS, value: 5, reason: 'regional cap' });
    const row = (await outboxRows()).find((r) => r.event_type === 'config.value.set.v1' && (r.payload.data as { version: number }).version === (set.ok ? set.value.version : -1));
    await eventually(() => expect(collector.messages.map((m) => m.msgId)).toContain(row?.id));

    expect(row?.payload).toMatchObject({ type: 'config.value.set.v1', aggregateId: set.ok && set.value.nodeId, data: { key: PARTS, after: 5 } });
    expect(collector.envelopes().find((e) => e.id === row?.id)).toEqual(row?.payload);
  });

  it('publishes nothing for a change that is refused, while a later change goes through', async () => {
    const node = await freshRegion();
    const collector = await service.collect(['config.value.set.v1']);

    const refused = await service.runtime.useCases.setValue.execute({ subject: admin, node, key: PARTS, value: 99, reason: 'too many' });
    const control = await service.runtime.useCases.setValue.execute({ subject: admin, node, key: PARTS, value: 3, reason: 'control' });
    await eventually(() => expect(collector.envelopes().filter(onNode(node))).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));

    expect([refused.ok, control.ok]).toEqual([false, true]);
    expect(collector.envelopes().filter(onNode(node)).map((e) => (e.data as { after: number }).after)).toEqual([3]);
  });

  it('publishes nothing from a transaction that rolls back after enqueueing its event', async () => {
    const uow = new PostgresUnitOfWork({ db: service.db.database.db, schema: SCHEMA, roles: service.db.roles, clock: systemClock });
    const ghost: EventEnvelope = {
      id: uuidv7(),
      type: 'config.lock.set.v1',
      aggregateType: 'config-node',
      aggregateId: 'ghost',
      tenantId: null,
      occurredAt: new Date().toISOString(),
      data: {},
    };
    const node = await freshRegion();
    const collector = await service.collect(['config.lock.>']);

    const result = await uow.run(async (tx) => {
      await tx.outbox.enqueue([ghost]);
      return err('the change was refused after its event was enqueued');
    }, { tenantId: null });
    const control = await service.runtime.useCases.setLock.execute({ subject: admin, node, key: PARTS, reason: 'control' });
    await eventually(() => expect(collector.envelopes().filter(onNode(node))).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));

    expect([result.ok, control.ok]).toEqual([false, true]);
    expect(collector.messages.map((m) => m.msgId)).not.toContain(ghost.id);
    expect(collector.envelopes().filter(onNode(node))).toHaveLength(1);
    expect((await outboxRows()).map((r) => r.id)).not.toContain(ghost.id);
  });

  it('relays the events of one node in the order of its versions, and delivers those of one type in that order', async () => {
    const node = await freshRegion();
    const collector = await service.collect(['config.value.set.v1']);
    const ofNode = onNode(node);
    const versionOf = (e: EventEnvelope): number => (e.data as { version: number }).version;

    for (const value of [1, 2, 3, 4, 5]) {
      await service.runtime.useCases.setValue.execute({ subject: admin, node, key: PARTS, value, reason: `step ${value}` });
      if (value === 3) await service.runtime.useCases.setLock.execute({ subject: admin, node, key: PARTS, reason: 'freeze' });
    }
    await eventually(() => expect(collector.envelopes().filter(ofNode)).toHaveLength(5));

    expect((await outboxRows()).map((r) => r.payload).filter(ofNode).map(versionOf)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(collector.envelopes().filter(ofNode).map(versionOf)).toEqual([2, 3, 4, 6, 7]);
  });

  it('marks relayed events as published and reports no lag once they are out', async () => {
    await service.runtime.useCases.setValue.execute({ subject: admin, node: await freshRegion(), key: 'sms.submit_rate_per_second', value: 500, reason: 'lag check' });

    await eventually(async () => expect((await service.runtime.relay.lag()).pending).toBe(0));

    const unpublished = await service.db.admin<{ n: string }>(`SELECT count(*) AS n FROM config.outbox WHERE published_at IS NULL`);
    expect(Number(unpublished[0]?.n)).toBe(0);
  });
});
