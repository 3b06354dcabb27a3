import { describe, expect, it } from 'vitest';
import {
  ManualClock,
  SequentialIdGenerator,
  defineErrors,
  err,
  isUuid,
  isValidEventType,
  mapResult,
  ok,
  problemTypeFor,
  uuidv7,
} from '@sms/kernel';

describe('Result', () => {
  it('maps a success and passes an error through unchanged', () => {
    expect(mapResult(ok(2), (n) => n * 3)).toEqual({ ok: true, value: 6 });
    const failure = err({ kind: 'NumberNotAvailable' as const });
    expect(mapResult(failure, () => 1)).toBe(failure);
  });
});

describe('ManualClock', () => {
  it('moves only when advanced and refuses to go backwards', () => {
    const clock = new ManualClock('2026-05-01T00:00:00Z');
    clock.advance(1500);
    expect(clock.now().toISOString()).toBe('2026-05-01T00:00:01.500Z');
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});

describe('uuidv7', () => {
  it('produces RFC 9562 version-7 ids that sort by creation time', () => {
    const earlier = uuidv7(1_700_000_000_000);
    const later = uuidv7(1_700_000_000_001);
    expect(isUuid(earlier)).toBe(true);
    expect(earlier[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(earlier[19]);
    expect(earlier < later).toBe(true);
    expect(earlier.slice(0, 13)).toBe('018bcfe5-6800');
  });

  it('gives predictable ids from the sequential generator', () => {
    const ids = new SequentialIdGenerator('msg');
    expect([ids.next(), ids.next()]).toEqual(['msg-1', 'msg-2']);
  });
});

describe('event type names', () => {
  it('accepts <domain>.<entity>.<verb>.v<N> and refuses other shapes', () => {
    expect(isValidEventType('numbering.lease.assigned.v1')).toBe(true);
    expect(isValidEventType('sms.outbound.request.v2')).toBe(true);
    expect(isValidEventType('numbering.lease.assigned')).toBe(false);
    expect(isValidEventType('Numbering.Lease.assigned.v1')).toBe(false);
    expect(isValidEventType('lease.v1')).toBe(false);
  });
});

describe('error registry', () => {
  it('accepts AREA.NAME codes with 4xx/5xx statuses and derives a stable problem type', () => {
    const errors = defineErrors({
      'NUMBERING.CONFLICT': { title: 'Conflict', status: 409, cause: 'Another change won the race.' },
    });
    expect(errors['NUMBERING.CONFLICT'].status).toBe(409);
    expect(problemTypeFor('NUMBERING.CONFLICT')).toBe('https://errors.sms-platform.dev/numbering-conflict');
  });

  it('refuses a malformed code or a non-error status', () => {
    expect(() => defineErrors({ conflict: { title: 'x', status: 409, cause: 'x' } })).toThrow(/AREA.NAME/);
    expect(() => defineErrors({ 'A.B': { title: 'x', status: 200, cause: 'x' } })).toThrow(/4xx or 5xx/);
  });
});
