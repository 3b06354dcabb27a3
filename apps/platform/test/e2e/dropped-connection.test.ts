import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINAL_STATUSES, startPlatformHarness } from '../support/platform-harness.js';
import type { PlatformHarness } from '../support/platform-harness.js';

const COUNT = 150;
const LATENCY_MS = 200;
const WINDOW_SIZE = 10;

/**
 * The SMSC cuts the connection (no unbind) while a batch is in flight. The gateway re-binds and
 * every message still reaches one final status. SMPP is at-least-once: a submit_sm the SMSC took
 * but whose submit_sm_resp was lost with the connection cannot be told from one it never got, so
 * the gateway submits it again (services/smpp-gateway/docs/failure-modes.md). Those are the only
 * duplicates allowed: at most the bind's window, each a message in flight at the cut. Messages not
 * yet routed when the bind went down may go to the operator's failover instead (the gateway reports
 * the lost bind, operator-management marks the operator down): counted at every SMSC.
 */
describe('an SMPP connection dropped mid-batch', () => {
  let harness: PlatformHarness;

  beforeAll(async () => {
    harness = await startPlatformHarness({
      label: 'dropped',
      topology: (base) => ({
        ...base,
        operators: base.operators.map((operator) =>
          operator.code === 'ETISALAT-AF' ? { ...operator, windowSize: WINDOW_SIZE, simulator: { latencyMs: LATENCY_MS } } : operator,
        ),
      }),
    });
    await harness.waitForRoutes(30_000);
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
  }, 60_000);

  it('re-binds and brings every message to one final status, sending again only what was in flight at the cut', async () => {
    const messages = Array.from({ length: COUNT }, (_, i) => ({ from: harness.shortCode, to: `+9378${String(4_000_000 + i)}`, body: `mid-batch ${i}` }));
    const answer = await harness.bulk({ messages });
    expect(answer.status).toBe(202);
    const ids = (answer.body.items ?? []).map((item) => String(item.message_id));
    expect(ids).toHaveLength(COUNT);
    const smsc = harness.simulator('ETISALAT-AF');

    await smsc.waitForAccepted(30);
    const droppedAt = Date.now();
    const receivedBeforeCut = new Set(smsc.submissions.map((s) => s.text));
    // Submits whose answer could not have left the SMSC before the cut: the answer waits LATENCY_MS.
    const surelyUnanswered = smsc.submissions.filter((s) => s.receivedAt > droppedAt - LATENCY_MS).length;
    smsc.dropConnections();

    const finals = await harness.waitForAllStatuses(ids, FINAL_STATUSES, 120_000);

    expect(smsc.stats.binds).toBeGreaterThanOrEqual(2);
    expect(receivedBeforeCut.size).toBeLessThan(COUNT);
    for (const view of finals.values()) {
      expect(view.status).toBe('delivered');
      expect(view.history.filter((entry) => FINAL_STATUSES.includes(entry.status))).toHaveLength(1);
    }
    // While the bind is down, operator-management hears of it and routing sends the messages not
    // yet routed to Etisalat's failover operator: count the submits at every SMSC.
    const perText = new Map<string, number>();
    for (const simulator of harness.simulators.values()) {
      for (const s of simulator.accepted) if (s.text.startsWith('mid-batch ')) perText.set(s.text, (perText.get(s.text) ?? 0) + 1);
    }
    expect(perText.size).toBe(COUNT);
    const failedOver = COUNT - new Set(smsc.accepted.map((s) => s.text)).size;
    const duplicated = [...perText].filter(([, count]) => count > 1);
    expect(duplicated.every(([text, count]) => count === 2 && receivedBeforeCut.has(text))).toBe(true);
    expect(duplicated.length).toBeLessThanOrEqual(WINDOW_SIZE);
    expect(duplicated.length).toBeGreaterThanOrEqual(surelyUnanswered);
    console.info(`dropped mid-batch: ${receivedBeforeCut.size} submits before the cut, ${surelyUnanswered} surely unanswered, ${duplicated.length} sent twice, ${failedOver} routed to another operator while the bind was down`);
  }, 180_000);
});
