import { err, isUuid, isValidEventType, ok } from '@sms/kernel';
import type { EventEnvelope, Result } from '@sms/kernel';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The bytes an envelope travels as on the bus: UTF-8 JSON. */
export const encodeEnvelope = (envelope: EventEnvelope): Uint8Array => encoder.encode(JSON.stringify(envelope));

/**
 * Checks that `value` is an {@link EventEnvelope}: a UUID id, a `<domain>.<entity>.<verb>.v<N>`
 * type, non-empty aggregate type and id, a string or null tenant, an ISO-8601 `occurredAt` and
 * a `data` member. Returns what is wrong otherwise.
 */
export function validateEnvelope(value: unknown): Result<EventEnvelope, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return err('the envelope is not a JSON object');
  const e = value as Record<string, unknown>;
  if (typeof e.id !== 'string' || !isUuid(e.id)) return err('id must be a UUID');
  if (typeof e.type !== 'string' || !isValidEventType(e.type)) return err('type must look like <domain>.<entity>.<verb>.v<N>');
  if (typeof e.aggregateType !== 'string' || e.aggregateType === '') return err('aggregateType must be a non-empty string');
  if (typeof e.aggregateId !== 'string' || e.aggregateId === '') return err('aggregateId must be a non-empty string');
  if (!(e.tenantId === null || (typeof e.tenantId === 'string' && e.tenantId !== ''))) return err('tenantId must be a non-empty string or null');
  if (typeof e.occurredAt !== 'string' || Number.isNaN(Date.parse(e.occurredAt))) return err('occurredAt must be an ISO-8601 instant');
  if (!('data' in e) || e.data === undefined) return err('data is missing');
  return ok({
    id: e.id,
    type: e.type,
    aggregateType: e.aggregateType,
    aggregateId: e.aggregateId,
    tenantId: e.tenantId,
    occurredAt: e.occurredAt,
    data: e.data,
  });
}

/** Parses and validates the bytes of a delivered message. */
export function decodeEnvelope(payload: Uint8Array): Result<EventEnvelope, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(payload));
  } catch {
    return err('the payload is not UTF-8 JSON');
  }
  return validateEnvelope(parsed);
}
