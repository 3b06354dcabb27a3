import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINAL_STATUSES, startPlatformHarness } from '../support/platform-harness.js';
import type { PlatformHarness } from '../support/platform-harness.js';

/** Dari, outside GSM-7: the orchestrator picks UCS-2, 67 characters per part once split. */
const SENTENCE = 'سلام! پیام شما به شماره ثبت شد و به زودی تحویل داده می‌شود. ';

/**
 * A long UCS-2 message through the whole platform (the platform process on the real PostgreSQL,
 * Redis and NATS, the operators on SMSC simulators): the SMSC receives three parts that a handset
 * joins back into the submitted text, and the message ends `delivered`.
 */
describe('a three-part UCS-2 SMS through the whole platform', () => {
  let harness: PlatformHarness;

  beforeAll(async () => {
    harness = await startPlatformHarness({ label: 'ucs2' });
    await harness.waitForRoutes(30_000);
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
  }, 60_000);

  it('sends three concatenated UCS-2 parts that join into the submitted body, and ends delivered', async () => {
    const body = `${SENTENCE}${SENTENCE}${SENTENCE}`.slice(0, 180).trim();
    expect([...body].length).toBeGreaterThan(2 * 67);
    expect([...body].length).toBeLessThanOrEqual(3 * 67);

    const sent = await harness.send({ from: harness.shortCode, to: '+93781234567', body });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ encoding: 'UCS-2', segments: 3 });
    const id = String(sent.body['message_id']);

    const final = await harness.waitForStatus(id, FINAL_STATUSES, 30_000);

    expect(final.status).toBe('delivered');
    expect(final.history.map((entry) => entry.status)).toEqual(['accepted', 'routed', 'submitted', 'delivered']);
    const parts = harness.simulator('ETISALAT-AF').accepted.filter((s) => s.destinationAddr === '93781234567');
    expect(parts).toHaveLength(3);
    const reference = parts[0]?.concatenation?.reference;
    expect(reference).toEqual(expect.any(Number));
    for (const part of parts) {
      expect(part.dataCoding).toBe(0x08);
      expect(part.esmClass & 0x40).toBe(0x40); // UDHI: the short message starts with a UDH
      expect(part.concatenation).toMatchObject({ reference, total: 3 });
      // The 8-bit concatenation element as sent: UDH length 5, IEI 0x00, length 3, reference, total, sequence.
      expect([...(part.udh ?? [])]).toEqual([5, 0x00, 3, reference, 3, part.concatenation?.sequence]);
    }
    const ordered = [...parts].sort((a, b) => (a.concatenation?.sequence ?? 0) - (b.concatenation?.sequence ?? 0));
    expect(ordered.map((part) => part.concatenation?.sequence)).toEqual([1, 2, 3]);
    expect(ordered.map((part) => part.text).join('')).toBe(body);
    for (const part of ordered) expect([...part.text].length).toBeLessThanOrEqual(67);
  });
});
