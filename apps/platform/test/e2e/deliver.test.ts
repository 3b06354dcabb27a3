import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformHarness } from '../support/platform-harness.js';
import type { PlatformHarness } from '../support/platform-harness.js';

/**
 * The platform as `npm start` runs it (every service in one process, the demo topology seeded on
 * SMSC simulators), on the real PostgreSQL, Redis and NATS JetStream: an SMS goes in over HTTP, out
 * over SMPP to the operator its prefix names, and its delivery receipt comes back as its final status.
 */
describe('an SMS through the whole platform', () => {
  let harness: PlatformHarness;

  beforeAll(async () => {
    harness = await startPlatformHarness({ label: 'deliver' });
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
  }, 60_000);

  it('routes a destination of each of the five operators to that operator once the gateway has bound to its simulator', async () => {
    await harness.waitForRoutes(30_000);
    for (const simulator of harness.simulators.values()) expect(simulator.stats.binds).toBeGreaterThanOrEqual(1);
    expect([...harness.simulators.keys()].sort()).toEqual(['AWCC', 'ETISALAT-AF', 'MTN-AF', 'ROSHAN', 'SALAAM']);
  });

  it('submits to the Roshan simulator and shows the message delivered with its history', async () => {
    await harness.waitForRoutes(30_000);
    const sent = await harness.send({ from: harness.shortCode, to: '+93791234567', body: 'Salaam from the end-to-end test' });
    expect(sent.status).toBe(202);
    const id = String(sent.body['message_id']);

    const delivered = await harness.waitForStatus(id, ['delivered', 'undelivered', 'failed', 'expired', 'rejected'], 30_000);

    expect(delivered.status).toBe('delivered');
    expect(delivered.history.map((entry) => entry.status)).toEqual(['accepted', 'routed', 'submitted', 'delivered']);
    const atRoshan = harness.simulator('ROSHAN').accepted.filter((s) => s.text === 'Salaam from the end-to-end test');
    expect(atRoshan).toHaveLength(1);
    expect(atRoshan[0]).toMatchObject({ sourceAddr: harness.shortCode, destinationAddr: '93791234567', dataCoding: 0 });
    expect((atRoshan[0]?.registeredDelivery ?? 0) & 0x01).toBe(1);
    for (const code of ['AWCC', 'ETISALAT-AF', 'MTN-AF', 'SALAAM']) expect(harness.simulator(code).submissions).toHaveLength(0);
  });

  it('shows the message undelivered when the operator’s receipt says UNDELIV', async () => {
    await harness.waitForRoutes(30_000);
    harness.simulator('MTN-AF').configure({ receiptOutcome: () => 'UNDELIV' });

    const sent = await harness.send({ from: harness.shortCode, to: '+93771234567', body: 'to a phone that is off' });
    expect(sent.status).toBe(202);
    const final = await harness.waitForStatus(String(sent.body['message_id']), ['delivered', 'undelivered', 'failed', 'expired', 'rejected'], 30_000);

    expect(final.status).toBe('undelivered');
    expect(final.history.map((entry) => entry.status)).toEqual(['accepted', 'routed', 'submitted', 'undelivered']);
    expect(harness.simulator('MTN-AF').accepted.filter((s) => s.destinationAddr === '93771234567')).toHaveLength(1);
  });

  it('changes nothing when the demo seed runs a second time', async () => {
    const again = await harness.platform.seedAgain();

    expect(again.changes).toEqual([]);
    expect(again.operators.map((o) => o.operatorId)).toEqual(harness.platform.seed?.operators.map((o) => o.operatorId));
  });

  it('changes nothing at a restart on the same database, and delivers again', async () => {
    await harness.restart();

    expect(harness.platform.seed?.changes).toEqual([]);
    await harness.waitForRoutes(30_000);
    const sent = await harness.send({ from: harness.shortCode, to: '+93741234567', body: 'after the restart' });
    expect(sent.status).toBe(202);
    const final = await harness.waitForStatus(String(sent.body['message_id']), ['delivered', 'undelivered', 'failed', 'expired', 'rejected'], 30_000);
    expect(final.status).toBe('delivered');
    expect(harness.simulator('SALAAM').accepted.map((s) => s.text)).toEqual(['after the restart']);
  });
});
