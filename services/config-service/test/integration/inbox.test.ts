import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAD_LETTER_HEADERS } from '@sms/bus';
import { TENANT_EVENTS_DURABLE } from '../../src/adapters/nats/tenant-events.consumer.js';
import { TENANT_EVENTS_CONSUMER } from '../../src/application/tenant-events.js';
import { eventually, startServiceFixture, tenantEvent } from '../support/service-fixture.js';
import type { ServiceFixture } from '../support/service-fixture.js';
import { actors } from '../support/tree.js';

const admin = actors.platformAdmin;

/**
 * The inbox of config-service over NATS JetStream (readiness checklist: inbox): tenant.created.v1
 * creates the tenant's node, tenant.deleted.v1 removes it, a redelivered event changes nothing,
 * a malformed one is dead-lettered, a missing placement is retried until it exists.
 */
describe('config-service inbox', () => {
  let service: ServiceFixture;
  let n = 0;

  beforeAll(async () => {
    service = await startServiceFixture('cfg_inbox');
    const region = await service.runtime.useCases.createNode.execute({ subject: admin, parent: '/GLOBAL', level: 'region', name: 'kabul', reason: 'arrange' });
    if (!region.ok) throw new Error(region.error.message);
  });
  afterAll(async () => {
    await service.cleanup();
  });

  const nextTenant = (): { tenantId: string; slug: string } => {
    n += 1;
    return { tenantId: `tenant-inbox-${n}`, slug: `shop${n}` };
  };
  const liveNodes = (tenantId: string) =>
    service.db.admin<{ path: string }>(`SELECT path FROM config.config_nodes WHERE tenant_id = $1 AND deleted_at IS NULL ORDER BY path`, [tenantId]);
  const inboxRecords = async (eventId: string) =>
    Number((await service.db.admin<{ n: string }>(`SELECT count(*) AS n FROM config.inbox WHERE event_id = $1 AND consumer = $2`, [eventId, TENANT_EVENTS_CONSUMER]))[0]?.n);
  const eventsOfType = (type: string, tenantId: string) =>
    service.db.admin<{ id: string }>(`SELECT id FROM config.outbox WHERE event_type = $1 AND tenant_id = $2`, [type, tenantId]);

  it('creates the tenant’s node under its placement when tenant.created.v1 arrives', async () => {
    const { tenantId, slug } = nextTenant();
    const event = tenantEvent('tenant.created.v1', { tenantId, slug, placement: { level: 'region', name: 'kabul' } });

    await service.publish(event);
    await eventually(async () => expect(await liveNodes(tenantId)).toHaveLength(1));

    expect(await liveNodes(tenantId)).toEqual([{ path: `/GLOBAL/region:kabul/tenant:${slug}` }]);
    expect([await inboxRecords(event.id), (await eventsOfType('config.node.created.v1', tenantId)).length]).toEqual([1, 1]);
  });

  it('creates the tenant’s node directly under GLOBAL when the event names no placement', async () => {
    const { tenantId, slug } = nextTenant();

    await service.publish(tenantEvent('tenant.created.v1', { tenantId, slug }));
    await eventually(async () => expect(await liveNodes(tenantId)).toEqual([{ path: `/GLOBAL/tenant:${slug}` }]));
  });

  it('handles a redelivered tenant.created.v1 once: one node, one event, one inbox record', async () => {
    const { tenantId, slug } = nextTenant();
    const event = tenantEvent('tenant.created.v1', { tenantId, slug });
    const handled = () => service.registry.getSingleMetricAsString('config_inbox_events_total');

    await service.publish(event, `${event.id}-first`);
    await eventually(async () => expect(await liveNodes(tenantId)).toHaveLength(1));
    // A second delivery of the same event (another message id, so the broker's dedup cannot hide it).
    await service.publish(event, `${event.id}-again`);
    await eventually(async () => expect(await handled()).toMatch(/type="tenant\.created\.v1",outcome="duplicate"\} 1/));

    expect(await liveNodes(tenantId)).toHaveLength(1);
    expect([await inboxRecords(event.id), (await eventsOfType('config.node.created.v1', tenantId)).length]).toEqual([1, 1]);
  });

  it('deletes the tenant’s node and its whole subtree when tenant.deleted.v1 arrives, keeping their history', async () => {
    const { tenantId, slug } = nextTenant();
    await service.publish(tenantEvent('tenant.created.v1', { tenantId, slug }));
    await eventually(async () => expect(await liveNodes(tenantId)).toHaveLength(1));
    const child = await service.runtime.useCases.createNode.execute({ subject: admin, parent: `tenant:${tenantId}`, level: 'sub-account', name: 'ops', reason: 'arrange' });

    await service.publish(tenantEvent('tenant.deleted.v1', { tenantId }));
    await eventually(async () => expect(await liveNodes(tenantId)).toEqual([]));

    const history = await service.db.admin<{ change: string }>(`SELECT change FROM config.node_versions WHERE node_id = $1 ORDER BY version`, [
      child.ok ? child.value.nodeId : '',
    ]);
    expect(history.map((h) => h.change)).toEqual(['node.created', 'node.deleted']);
    expect(await eventsOfType('config.node.deleted.v1', tenantId)).toHaveLength(1);
  });

  it('handles a redelivered tenant.deleted.v1 once', async () => {
    const { tenantId, slug } = nextTenant();
    await service.publish(tenantEvent('tenant.created.v1', { tenantId, slug }));
    await eventually(async () => expect(await liveNodes(tenantId)).toHaveLength(1));
    const deleted = tenantEvent('tenant.deleted.v1', { tenantId });

    await service.publish(deleted, `${deleted.id}-first`);
    await eventually(async () => expect(await liveNodes(tenantId)).toEqual([]));
    await service.publish(deleted, `${deleted.id}-again`);
    await eventually(async () =>
      expect(await service.registry.getSingleMetricAsString('config_inbox_events_total')).toMatch(/type="tenant\.deleted\.v1",outcome="duplicate"\} 1/),
    );

    expect([await inboxRecords(deleted.id), (await eventsOfType('config.node.deleted.v1', tenantId)).length]).toEqual([1, 1]);
  });

  it('retries a tenant whose placement does not exist yet, and creates it once the region exists', async () => {
    const { tenantId, slug } = nextTenant();
    const event = tenantEvent('tenant.created.v1', { tenantId, slug, placement: { level: 'region', name: 'bamyan' } });

    await service.publish(event);
    await eventually(async () =>
      expect(await service.registry.getSingleMetricAsString('config_inbox_events_total')).toMatch(/type="tenant\.created\.v1",outcome="retry"\}/),
    );
    const retriedBefore = await liveNodes(tenantId);
    await service.runtime.useCases.createNode.execute({ subject: admin, parent: '/GLOBAL', level: 'region', name: 'bamyan', reason: 'new region' });
    await eventually(async () => expect(await liveNodes(tenantId)).toEqual([{ path: `/GLOBAL/region:bamyan/tenant:${slug}` }]), 15_000);

    expect(retriedBefore).toEqual([]);
    expect(await inboxRecords(event.id)).toBe(1);
  });

  it('dead-letters a malformed tenant event at once, without recording it or changing anything', async () => {
    const deadLetters = await service.collect([`${service.deadLetterPrefix}.${TENANT_EVENTS_DURABLE}`]);
    const event = tenantEvent('tenant.created.v1', { tenantId: 'tenant-bad', slug: 'Not A Node Name' });

    await service.publish(event);
    await eventually(() => expect(deadLetters.messages.map((m) => m.headers[DEAD_LETTER_HEADERS.originalMsgId])).toContain(event.id));

    expect(deadLetters.messages.find((m) => m.headers[DEAD_LETTER_HEADERS.originalMsgId] === event.id)?.headers[DEAD_LETTER_HEADERS.attempts]).toBe('1');
    expect([await inboxRecords(event.id), (await liveNodes('tenant-bad')).length]).toEqual([0, 0]);
  });
});
