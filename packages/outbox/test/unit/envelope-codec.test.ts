import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope } from '@sms/outbox';
import type { EventEnvelope } from '@sms/kernel';

const envelope: EventEnvelope<{ msisdn: string }> = {
  id: '0194d7c2-7a3e-7cc1-9d0e-2a1b3c4d5e6f',
  type: 'numbering.lease.assigned.v1',
  aggregateType: 'lease',
  aggregateId: 'lease-1',
  tenantId: 'tenant-a',
  occurredAt: '2026-01-01T00:00:00.000Z',
  data: { msisdn: '93700000000' },
};

const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

describe('decodeEnvelope', () => {
  it('reads back what encodeEnvelope wrote', () => {
    expect(decodeEnvelope(encodeEnvelope(envelope))).toEqual({ ok: true, value: envelope });
  });

  it('accepts an event without a tenant', () => {
    expect(decodeEnvelope(bytes({ ...envelope, tenantId: null })).ok).toBe(true);
  });

  it('refuses bytes that are not JSON', () => {
    expect(decodeEnvelope(new TextEncoder().encode('{nope'))).toEqual({ ok: false, error: 'the payload is not UTF-8 JSON' });
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(decodeEnvelope(new Uint8Array([0xff, 0xfe, 0x7b]))).toEqual({ ok: false, error: 'the payload is not UTF-8 JSON' });
  });

  it('refuses JSON that is not an object', () => {
    expect(decodeEnvelope(bytes([envelope]))).toEqual({ ok: false, error: 'the envelope is not a JSON object' });
  });

  it.each([
    ['an id that is not a UUID', { id: 'evt-1' }, 'id must be a UUID'],
    ['a type without a version', { type: 'numbering.lease.assigned' }, 'type must look like <domain>.<entity>.<verb>.v<N>'],
    ['an empty aggregate type', { aggregateType: '' }, 'aggregateType must be a non-empty string'],
    ['a numeric aggregate id', { aggregateId: 7 }, 'aggregateId must be a non-empty string'],
    ['an empty tenant', { tenantId: '' }, 'tenantId must be a non-empty string or null'],
    ['an occurredAt that is not a date', { occurredAt: 'yesterday' }, 'occurredAt must be an ISO-8601 instant'],
  ])('refuses %s', (_label, change, error) => {
    expect(decodeEnvelope(bytes({ ...envelope, ...change }))).toEqual({ ok: false, error });
  });

  it('refuses an envelope without data', () => {
    const { data: _data, ...withoutData } = envelope;

    expect(decodeEnvelope(bytes(withoutData))).toEqual({ ok: false, error: 'data is missing' });
  });
});
