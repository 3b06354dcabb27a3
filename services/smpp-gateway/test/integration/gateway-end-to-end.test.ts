import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createEventValidator, smppGatewayEvents } from '@sms/contracts';
import { finalStatuses, startGatewayFixture } from '../support/gateway-fixture.js';
import type { GatewayFixture } from '../support/gateway-fixture.js';

let fixture: GatewayFixture | null = null;
const validator = createEventValidator(smppGatewayEvents);

afterEach(async () => {
  await fixture?.cleanup();
  fixture = null;
});

function nonConforming(current: GatewayFixture): unknown[] {
  return current.statuses.map((s) => validator.validate(s.type, s.data)).filter((problems) => problems !== null);
}

describe('SMPP gateway against the SMSC simulator (real TCP, NATS and PostgreSQL)', () => {
  it('delivers a single SMS: submitted with the SMSC id, then delivered from the receipt', async () => {
    fixture = await startGatewayFixture('smpp_single', {
      simulator: { firstMessageNumber: 0xabc, behaviour: { submitIdStyle: { base: 'hex', upperCase: true, padTo: 10 }, receiptIdStyle: { base: 'decimal', upperCase: false, padTo: 0 } } },
      connection: { idForms: 'submit-hex-receipt-decimal' },
    });
    const messageId = await fixture.send();
    await fixture.waitFor((statuses) => statuses.some((s) => s.data.status === 'delivered'));
    expect(fixture.statuses.map((s) => [s.data.messageId, s.data.status, s.data.smscMessageId])).toEqual([
      [messageId, 'submitted', '0000000ABC'],
      [messageId, 'delivered', '0000000ABC'],
    ]);
    expect(fixture.simulator.accepted).toHaveLength(1);
    expect(fixture.simulator.accepted[0]).toMatchObject({ dataCoding: 0, udh: null, text: 'Your code is 482913', destinationAddr: '93791234567', sourceAddr: '4455' });
  });

  it('publishes events that conform to the sms.delivery.status.v1 schema', async () => {
    fixture = await startGatewayFixture('smpp_schema', { simulator: { behaviour: { receiptOutcome: () => 'EXPIRED' } } });
    await fixture.send({ body: 'س'.repeat(100), encoding: 'UCS-2', segments: 2 });
    await fixture.waitFor((statuses) => statuses.some((s) => s.data.status === 'expired'));
    expect(fixture.statuses.map((s) => s.type)).toEqual(['sms.delivery.status.v1', 'sms.delivery.status.v1']);
    expect(nonConforming(fixture)).toEqual([]);
  });

  it('sends a 3-part UCS-2 message as three correctly concatenated parts', async () => {
    fixture = await startGatewayFixture('smpp_ucs2');
    const body = 'پیام شما رسید. '.repeat(10);
    const messageId = await fixture.send({ body, encoding: 'UCS-2', segments: 3 });
    await fixture.waitFor((statuses) => statuses.some((s) => s.data.status === 'delivered'));
    const parts = fixture.simulator.accepted;
    expect(parts.map((p) => [p.dataCoding, p.esmClass & 0x40, p.concatenation?.total, p.concatenation?.sequence])).toEqual([
      [8, 0x40, 3, 1],
      [8, 0x40, 3, 2],
      [8, 0x40, 3, 3],
    ]);
    expect(new Set(parts.map((p) => p.concatenation?.reference)).size).toBe(1);
    expect(parts.map((p) => p.text).join('')).toBe(body);
    expect(fixture.statuses.map((s) => [s.data.messageId, s.data.status])).toEqual([
      [messageId, 'submitted'],
      [messageId, 'delivered'],
    ]);
  });

  it('reports an undelivered message with the receipt error', async () => {
    fixture = await startGatewayFixture('smpp_undeliv', { simulator: { behaviour: { receiptOutcome: () => 'UNDELIV' } } });
    await fixture.send();
    await fixture.waitFor((statuses) => statuses.some((s) => s.data.status === 'undelivered'));
    expect(fixture.statuses.at(-1)?.data).toMatchObject({ status: 'undelivered', errorCode: 'SMPP.UNDELIVERABLE' });
  });

  it('reports a message the SMSC refuses as failed and acknowledges it', async () => {
    fixture = await startGatewayFixture('smpp_refused', { simulator: { behaviour: { errorRate: 1, errorStatus: 0x0b } } });
    const messageId = await fixture.send();
    await fixture.waitFor((statuses) => statuses.length >= 1);
    expect(fixture.statuses.map((s) => [s.data.messageId, s.data.status, s.data.errorCode])).toEqual([[messageId, 'failed', 'SMPP.0x0B']]);
    expect(fixture.simulator.submissions).toHaveLength(1);
    expect(nonConforming(fixture)).toEqual([]);
  });

  it('loses nothing behind a throttling SMSC and never sends faster than its own pace', async () => {
    fixture = await startGatewayFixture('smpp_throttle', {
      simulator: { behaviour: { throughputPerSecond: 20 } },
      connection: { throughputPerSecond: 40 },
    });
    const ids = await Promise.all(Array.from({ length: 30 }, () => fixture!.send()));
    await fixture.waitFor((statuses) => finalStatuses(statuses).size === 30, 30_000);
    const finals = finalStatuses(fixture.statuses);
    expect([...finals.keys()].sort()).toEqual([...ids].sort());
    expect([...finals.values()].every((statuses) => statuses.length === 1 && statuses[0] === 'delivered')).toBe(true);
    expect(fixture.simulator.stats.throttled).toBeGreaterThan(0);
    expect(fixture.simulator.accepted).toHaveLength(30);
    // Our own pace: 40/s with a burst of 4, so no 500 ms window holds more than 4 + 20 submits.
    const times = fixture.simulator.submissions.map((s) => s.receivedAt).sort((a, b) => a - b);
    const busiest = Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + 500).length));
    expect(busiest).toBeLessThanOrEqual(24);
  });

  it('re-binds after the SMSC drops the connection mid-batch and loses nothing', async () => {
    fixture = await startGatewayFixture('smpp_drop', { simulator: { behaviour: { latencyMs: 5, receiptDelayMs: 30 } } });
    const ids = await Promise.all(Array.from({ length: 40 }, () => fixture!.send()));
    await fixture.simulator.waitForAccepted(10);
    fixture.simulator.dropConnections();
    await fixture.waitFor((statuses) => finalStatuses(statuses).size === 40, 30_000);
    const finals = finalStatuses(fixture.statuses);
    expect([...finals.keys()].sort()).toEqual([...ids].sort());
    expect([...finals.values()].every((statuses) => statuses.length === 1 && statuses[0] === 'delivered')).toBe(true);
    expect(fixture.simulator.stats.binds).toBeGreaterThanOrEqual(2);
    // At-least-once: a part whose response was lost with the connection may reach the SMSC twice, never less than once.
    expect(fixture.simulator.accepted.length).toBeGreaterThanOrEqual(40);
    expect(fixture.simulator.accepted.length).toBeLessThanOrEqual(40 + 10);
  });

  it('drops a bind whose enquire_link goes unanswered and binds again', async () => {
    fixture = await startGatewayFixture('smpp_silent', { connection: { enquireLinkIntervalMs: 100, responseTimeoutMs: 200 } });
    await fixture.simulator.waitForBinds(1);
    fixture.simulator.configure({ answerEnquireLinks: false });
    await fixture.simulator.waitForBinds(2);
    fixture.simulator.configure({ answerEnquireLinks: true });
    const messageId = await fixture.send();
    await fixture.waitFor((statuses) => statuses.some((s) => s.data.messageId === messageId && s.data.status === 'delivered'));
    expect(fixture.simulator.stats.binds).toBeGreaterThanOrEqual(2);
  });

  it('keeps re-binding while the SMSC refuses the credentials and reports the bind not ready', async () => {
    fixture = await startGatewayFixture('smpp_badpw', { simulator: { password: 'other' } });
    await fixture.simulator.waitForRefusedBinds(3);
    const checks = fixture.gateway.readiness();
    expect(checks.map((c) => c.critical)).toEqual([false]);
    await expect(checks[0]?.check()).rejects.toThrow('bind connecting');
    expect(fixture.simulator.stats.binds).toBe(0);
  });

  it('answers the SMSC enquire_link and records the SMSC id map in the smpp schema', async () => {
    fixture = await startGatewayFixture('smpp_enquire');
    const messageId = await fixture.send();
    await fixture.waitFor((statuses) => statuses.some((s) => s.data.status === 'delivered'));
    expect(await fixture.simulator.enquireLinks()).toBe(1);
    const rows = await sql<{ smsc_message_id_key: string; receipt_status: string }>`SELECT smsc_message_id_key, receipt_status FROM smpp.submitted_parts WHERE message_id = ${messageId}`.execute(
      fixture.db.database.db,
    );
    expect(rows.rows).toEqual([{ smsc_message_id_key: '1', receipt_status: 'delivered' }]);
  });
});
