import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DeliveredMessage, Subscription } from '@sms/bus';
import { createEventValidator } from '@sms/contracts';
import { uuidv7 } from '@sms/kernel';
import { decodeEnvelope } from '@sms/outbox';
import { uniqueName } from '@sms/testing';
import { defaultAnomalyThresholds } from '../../src/index.js';
import { startNumberingServiceFixture } from '../support/numbering-service-fixture.js';
import type { NumberingServiceFixture } from '../support/numbering-service-fixture.js';
import { insertNumbers, seedCatalog, tenant } from '../support/postgres-world.js';
import type { SeededCatalog } from '../support/postgres-world.js';

const CHURNER = 'tenant-churner';
const STEADY = 'tenant-steady';

// numbering-service as the runtime starts it, with the default thresholds (NUMBERING_ANOMALY_* unset):
// a tenant that reserves and releases numbers over and over is reported to fraud intelligence over NATS.
describe('anomaly signals published to NATS', () => {
  let fixture: NumberingServiceFixture;
  let catalog: SeededCatalog;
  let subscription: Subscription;
  const delivered: DeliveredMessage[] = [];
  let next = 0;

  beforeAll(async () => {
    fixture = await startNumberingServiceFixture('numbering_anomaly');
    catalog = await seedCatalog(fixture.runtime.useCases, fixture.clock, [CHURNER, STEADY]);
    subscription = await fixture.nats.bus.subscribe(
      { durable: uniqueName('fraud_intel'), subjects: [`${fixture.nats.subjectPrefix}numbering.anomaly.detected.v1`] },
      (message) => {
        delivered.push(message);
        return Promise.resolve();
      },
    );
  });
  afterAll(async () => {
    await subscription?.stop();
    await fixture?.cleanup();
  });

  const cycle = async (tenantId: string, release: boolean): Promise<void> => {
    const value = `+9370777${String((next += 1)).padStart(4, '0')}`;
    await insertNumbers(fixture.runtime.useCases.system, catalog, fixture.clock, [value]);
    const actor = tenant(tenantId);
    const useCases = fixture.runtime.useCases.forActor(actor);
    const reserved = await useCases.reserve.execute({ actor, idempotencyKey: uuidv7(), number: value, tenantId, tenantPoolId: catalog.tenantPools[tenantId] ?? '' });
    const released = release ? await useCases.release.execute({ actor, idempotencyKey: uuidv7(), number: value, tenantId }) : reserved;
    if (!reserved.ok || !released.ok) throw new Error('arrange: reserve or release refused');
  };
  const signals = () =>
    delivered.flatMap((m) => {
      const decoded = decodeEnvelope(m.payload);
      return decoded.ok ? [decoded.value] : [];
    });

  it('publishes one schema-valid signal for a churning tenant, and none for a tenant that only reserves', async () => {
    const cycles = defaultAnomalyThresholds.churnCycles;
    for (let i = 0; i < cycles + 5; i += 1) await cycle(CHURNER, true);
    for (let i = 0; i < cycles + 5; i += 1) await cycle(STEADY, false);
    await fixture.runtime.anomalyMonitor.flush();
    const written = await sql<{ n: number }>`SELECT count(*)::int AS n FROM numbering.outbox WHERE event_type = 'numbering.anomaly.detected.v1'`.execute(
      fixture.pg.database.db,
    );
    expect(written.rows[0]?.n).toBe(1);

    await vi.waitFor(() => expect(signals()).toHaveLength(1), { timeout: 10_000, interval: 50 });
    const [signal] = signals();
    expect(signal).toMatchObject({
      type: 'numbering.anomaly.detected.v1',
      aggregateType: 'tenant',
      aggregateId: CHURNER,
      tenantId: CHURNER,
      data: { tenantId: CHURNER, rules: ['reservation_churn'], reservations: cycles, releases: cycles },
    });
    expect(createEventValidator().validate('numbering.anomaly.detected.v1', signal?.data)).toBeNull();
  });
});
