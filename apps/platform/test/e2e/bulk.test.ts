import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINAL_STATUSES, startPlatformHarness } from '../support/platform-harness.js';
import type { PlatformHarness } from '../support/platform-harness.js';

const COUNT = 1_000;
/** One destination prefix of each operator, so the bulk spreads over the five simulators. */
const PREFIXES = ['9379', '9370', '9378', '9377', '9374'];

/**
 * A bulk of 1,000 through the whole platform: every message reaches a final status, each exactly
 * once in its history, and every SMSC received each message's submit_sm exactly once (the bodies are
 * unique, so a submit is traced to its message by its text).
 */
describe('a bulk of 1,000 SMS through the whole platform', () => {
  let harness: PlatformHarness;

  beforeAll(async () => {
    harness = await startPlatformHarness({ label: 'bulk' });
    await harness.waitForRoutes(30_000);
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
  }, 60_000);

  it('brings every message to one final status and submits each once', async () => {
    const messages = Array.from({ length: COUNT }, (_, i) => ({
      from: harness.shortCode,
      to: `+${PREFIXES[i % PREFIXES.length] ?? ''}${String(100_000 + i).padStart(7, '0')}`,
      body: `bulk message ${i}`,
    }));

    const answer = await harness.bulk({ messages });

    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ accepted_count: COUNT, rejected_count: 0 });
    const items = answer.body.items ?? [];
    const idOfBody = new Map(items.map((item) => [messages[item.index]?.body ?? '', String(item.message_id)]));
    expect(new Set(idOfBody.values()).size).toBe(COUNT);

    const finals = await harness.waitForAllStatuses([...idOfBody.values()], FINAL_STATUSES, 300_000);

    const notDelivered = [...finals.values()].filter((view) => view.status !== 'delivered');
    expect(notDelivered.map((view) => `${view.message_id}: ${view.status} ${String(view['error_code'])}`)).toEqual([]);
    for (const view of finals.values()) {
      const history = view.history.map((entry) => entry.status);
      expect(history.filter((status) => FINAL_STATUSES.includes(status))).toEqual(['delivered']);
      expect(history.filter((status) => status === 'submitted')).toHaveLength(1);
      expect(history.at(-1)).toBe('delivered');
    }

    const submitsPerBody = new Map<string, number>();
    for (const simulator of harness.simulators.values()) {
      for (const submission of simulator.submissions) submitsPerBody.set(submission.text, (submitsPerBody.get(submission.text) ?? 0) + 1);
    }
    expect(submitsPerBody.size).toBe(COUNT);
    expect([...submitsPerBody].filter(([, count]) => count !== 1)).toEqual([]);
    for (const [body, id] of idOfBody) expect(submitsPerBody.get(body), `submits of message ${id}`).toBe(1);
    for (const [index, prefix] of PREFIXES.entries()) {
      const code = ['ROSHAN', 'AWCC', 'ETISALAT-AF', 'MTN-AF', 'SALAAM'][index] ?? '';
      const accepted = harness.simulator(code).accepted;
      expect(accepted).toHaveLength(COUNT / PREFIXES.length);
      expect(accepted.every((s) => s.destinationAddr.startsWith(prefix))).toBe(true);
    }
  }, 420_000);
});
