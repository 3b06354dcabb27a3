import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINAL_STATUSES, startPlatformHarness } from '../support/platform-harness.js';
import type { PlatformHarness } from '../support/platform-harness.js';

/**
 * An operator whose SMSC goes away: the gateway loses the bind and reports it, operator-management
 * declares the operator down, routing-engine skips it, and traffic for its prefixes goes to the
 * first failover operator of its routing rule (the demo rules list the other operators in topology
 * order: for Roshan's prefixes, AWCC first).
 */
describe('an operator down', () => {
  let harness: PlatformHarness;

  beforeAll(async () => {
    // Health reports every second, so a stale state would not linger either.
    harness = await startPlatformHarness({ label: 'failover', env: { SMPP_HEALTH_REPORT_INTERVAL_MS: '1000' } });
    await harness.waitForRoutes(30_000);
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
  }, 60_000);

  it('sends Roshan’s traffic to AWCC, the next operator of the rule, while Roshan’s SMSC is unreachable', async () => {
    const roshan = harness.operatorId('ROSHAN');
    const awcc = harness.operatorId('AWCC');
    expect(await harness.routeOf('+93791234500')).toBe(roshan);

    await harness.simulator('ROSHAN').stop();

    await expect.poll(() => harness.healthOf('ROSHAN'), { timeout: 20_000, interval: 200 }).toBe('down');
    await expect.poll(() => harness.routeOf('+93791234500'), { timeout: 20_000, interval: 200 }).toBe(awcc);
    expect(await harness.healthOf('AWCC')).toBe('up');

    const destinations = ['+93791234501', '+93721234502', '+93791234503'];
    const ids: string[] = [];
    for (const [index, to] of destinations.entries()) {
      const sent = await harness.send({ from: harness.shortCode, to, body: `failover ${index}` });
      expect(sent.status).toBe(202);
      ids.push(String(sent.body['message_id']));
    }
    const finals = await harness.waitForAllStatuses(ids, FINAL_STATUSES, 30_000);

    for (const id of ids) expect(finals.get(id)?.status).toBe('delivered');
    const atAwcc = harness.simulator('AWCC').accepted.filter((s) => s.text.startsWith('failover '));
    expect(atAwcc.map((s) => s.destinationAddr).sort()).toEqual(destinations.map((d) => d.slice(1)).sort());
    expect(harness.simulator('ROSHAN').submissions).toHaveLength(0);
    for (const code of ['ETISALAT-AF', 'MTN-AF', 'SALAAM']) expect(harness.simulator(code).submissions).toHaveLength(0);
  });

  it('keeps routing the other operators’ prefixes to themselves', async () => {
    const sent = await harness.send({ from: harness.shortCode, to: '+93701234567', body: 'to AWCC’s own prefix' });
    expect(sent.status).toBe(202);
    const final = await harness.waitForStatus(String(sent.body['message_id']), FINAL_STATUSES, 30_000);

    expect(final.status).toBe('delivered');
    expect(harness.simulator('AWCC').accepted.filter((s) => s.text === 'to AWCC’s own prefix').map((s) => s.destinationAddr)).toEqual(['93701234567']);
  });
});
