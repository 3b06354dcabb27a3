import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMPP_STATUS } from '../../../../services/smpp-gateway/src/index.js';
import type { ReceivedSubmission } from '../../../../services/smpp-gateway/src/index.js';
import { FINAL_STATUSES, startPlatformHarness } from '../support/platform-harness.js';
import type { PlatformHarness } from '../support/platform-harness.js';

/** Salaam's contracted rate (the gateway paces its bind to it) and what its SMSC really takes. */
const SALAAM_CONTRACT_PER_SECOND = 4;
const SALAAM_SMSC_PER_SECOND = 2;

/** The most submits of `submissions` that fall in any one-second window, by the simulator's own receive times. */
function busiestSecond(submissions: readonly ReceivedSubmission[]): number {
  const times = submissions.map((s) => s.receivedAt).sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < times.length; last += 1) {
    while ((times[last] ?? 0) - (times[first] ?? 0) >= 1000) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

function submitsPerText(submissions: readonly ReceivedSubmission[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of submissions) counts.set(s.text, (counts.get(s.text) ?? 0) + 1);
  return counts;
}

/**
 * SMSCs that push back: one answers ESME_RTHROTTLED (0x58) to a share of submits, one takes fewer
 * submits per second than the connection's contracted rate. The gateway resubmits after backoff
 * (and, past its attempts, hands the request back to the bus for a later redelivery): no message
 * is lost, each is accepted exactly once, and the bind never goes faster than its rate.
 */
describe('a throttling SMSC', () => {
  let harness: PlatformHarness;

  beforeAll(async () => {
    harness = await startPlatformHarness({
      label: 'throttle',
      topology: (base) => ({
        ...base,
        operators: base.operators.map((operator) => {
          if (operator.code === 'SALAAM') {
            return { ...operator, throughputLimit: SALAAM_CONTRACT_PER_SECOND, simulator: { throughputPerSecond: SALAAM_SMSC_PER_SECOND } };
          }
          if (operator.code === 'MTN-AF') return { ...operator, simulator: { errorRate: 0.3, errorStatus: SMPP_STATUS.ESME_RTHROTTLED } };
          return operator;
        }),
      }),
      // Throttle answers count as errors in the bind's health report (error rate ≥ 0.5 reads as
      // "down"); with the periodic report out of the way, routing keeps these messages on their
      // operator and the test watches the gateway alone. Reports on bind state changes still go.
      env: { SMPP_HEALTH_REPORT_INTERVAL_MS: '3600000' },
    });
    await harness.waitForRoutes(30_000);
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
  }, 60_000);

  it('gets every message accepted exactly once when the SMSC throttles a share of the submits', async () => {
    const messages = Array.from({ length: 40 }, (_, i) => ({ from: harness.shortCode, to: `+9377${String(2_000_000 + i)}`, body: `share-throttled ${i}` }));
    const answer = await harness.bulk({ messages });
    expect(answer.status).toBe(202);
    const ids = (answer.body.items ?? []).map((item) => String(item.message_id));
    expect(ids).toHaveLength(messages.length);

    const finals = await harness.waitForAllStatuses(ids, FINAL_STATUSES, 90_000);

    expect([...finals.values()].filter((view) => view.status !== 'delivered')).toEqual([]);
    const mtn = harness.simulator('MTN-AF');
    const throttled = mtn.submissions.filter((s) => s.commandStatus === SMPP_STATUS.ESME_RTHROTTLED);
    expect(throttled.length).toBeGreaterThan(0);
    const accepted = submitsPerText(mtn.accepted);
    expect(accepted.size).toBe(messages.length);
    expect([...accepted].filter(([, count]) => count !== 1)).toEqual([]);
    // Every throttled submit was made again until the SMSC took it: as many submits as accepts plus refusals.
    expect(mtn.submissions.length).toBe(messages.length + throttled.length);
  }, 120_000);

  it('never submits faster than the connection’s rate and loses nothing when the SMSC takes even less', async () => {
    const messages = Array.from({ length: 30 }, (_, i) => ({ from: harness.shortCode, to: `+9374${String(3_000_000 + i)}`, body: `rate-limited ${i}` }));
    const answer = await harness.bulk({ messages });
    expect(answer.status).toBe(202);
    const ids = (answer.body.items ?? []).map((item) => String(item.message_id));

    const finals = await harness.waitForAllStatuses(ids, FINAL_STATUSES, 120_000);

    expect([...finals.values()].filter((view) => view.status !== 'delivered')).toEqual([]);
    const salaam = harness.simulator('SALAAM');
    expect(salaam.stats.throttled).toBeGreaterThan(0);
    const accepted = submitsPerText(salaam.accepted);
    expect(accepted.size).toBe(messages.length);
    expect([...accepted].filter(([, count]) => count !== 1)).toEqual([]);
    // The gateway's pacing, seen from the SMSC: its token bucket allows the rate plus a burst of
    // max(1, rate / 10); one more for a submit delayed on the way and arriving next to the following one.
    const allowedPerSecond = SALAAM_CONTRACT_PER_SECOND + Math.max(1, Math.floor(SALAAM_CONTRACT_PER_SECOND / 10)) + 1;
    expect(busiestSecond(salaam.submissions)).toBeLessThanOrEqual(allowedPerSecond);
    expect(busiestSecond(salaam.accepted)).toBeLessThanOrEqual(SALAAM_SMSC_PER_SECOND + 1);
  }, 150_000);
});
