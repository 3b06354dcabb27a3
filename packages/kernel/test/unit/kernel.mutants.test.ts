import { describe, expect, it } from 'vitest';
import {
  ManualClock,
  SequentialIdGenerator,
  defineErrors,
  err,
  isErr,
  isOk,
  isUuid,
  isValidEventType,
  ok,
  systemClock,
  uuidv7,
  uuidv7Generator,
} from '@sms/kernel';

// Behaviours the first mutation run (docs/mutation-testing.md) showed no test pinned down.

describe('Result', () => {
  it('builds a failure that carries its error and tells success from failure', () => {
    const failure = err('NumberNotAvailable');
    expect(failure).toEqual({ ok: false, error: 'NumberNotAvailable' });
    expect(isErr(failure)).toBe(true);
    expect(isOk(failure)).toBe(false);
    expect(isOk(ok(1))).toBe(true);
    expect(isErr(ok(1))).toBe(false);
  });
});

describe('clocks', () => {
  it('starts a manual clock at 2026-01-01 UTC unless told otherwise', () => {
    expect(new ManualClock().now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('lets a manual clock stand still and explains why it refuses to go backwards', () => {
    const clock = new ManualClock('2026-05-01T00:00:00Z');
    clock.advance(0);
    expect(clock.now().toISOString()).toBe('2026-05-01T00:00:00.000Z');
    expect(() => clock.advance(-1)).toThrow(/cannot move backwards/);
  });

  it('sets a manual clock to any instant, earlier ones included', () => {
    const clock = new ManualClock('2026-05-01T00:00:00Z');
    clock.set('2025-12-31T23:59:59.000Z');
    expect(clock.now().toISOString()).toBe('2025-12-31T23:59:59.000Z');
  });

  it('reads the system clock as the current time', () => {
    const before = Date.now();
    const now = systemClock.now();
    const after = Date.now();
    expect(now).toBeInstanceOf(Date);
    expect(now.getTime()).toBeGreaterThanOrEqual(before);
    expect(now.getTime()).toBeLessThanOrEqual(after);
  });
});

describe('ids', () => {
  it('keeps the random bits around the version and variant fields of uuidv7', () => {
    const ids = Array.from({ length: 64 }, () => uuidv7(1_700_000_000_000));
    // Character 15 is the low nibble of byte 6, characters 19–20 hold byte 8 (variant bits plus randomness).
    expect(new Set(ids.map((id) => id[15])).size).toBeGreaterThan(1);
    expect(new Set(ids.map((id) => id.slice(19, 21))).size).toBeGreaterThan(1);
  });

  it('makes fresh version-7 ids from the default generator', () => {
    const first = uuidv7Generator.next();
    const second = uuidv7Generator.next();
    expect(isUuid(first)).toBe(true);
    expect(first[14]).toBe('7');
    expect(second).not.toBe(first);
  });

  it('prefixes sequential ids with "id" by default', () => {
    expect(new SequentialIdGenerator().next()).toBe('id-1');
  });

  it('refuses a uuid with anything before or after it', () => {
    const id = '018bcfe5-6800-7000-8000-000000000000';
    expect(isUuid(id)).toBe(true);
    expect(isUuid(`x${id}`)).toBe(false);
    expect(isUuid(`${id}0`)).toBe(false);
  });
});

describe('event type names', () => {
  it('accepts multi-digit versions and refuses trailing text', () => {
    expect(isValidEventType('numbering.lease.assigned.v10')).toBe(true);
    expect(isValidEventType('numbering.lease.assigned.v1-draft')).toBe(false);
  });
});

describe('error registry', () => {
  const definition = (status: number) => ({ title: 'x', status, cause: 'x' });

  it('accepts the edges of the error range, 400 and 599', () => {
    expect(defineErrors({ 'A.LOW': definition(400), 'A.HIGH': definition(599) })['A.HIGH'].status).toBe(599);
  });

  it('refuses statuses just outside the error range', () => {
    expect(() => defineErrors({ 'A.B': definition(399) })).toThrow(/4xx or 5xx/);
    expect(() => defineErrors({ 'A.B': definition(600) })).toThrow(/4xx or 5xx/);
  });

  it('refuses a code with anything before or after AREA.NAME', () => {
    expect(() => defineErrors({ 'xNUMBERING.CONFLICT': definition(409) })).toThrow(/AREA.NAME/);
    expect(() => defineErrors({ 'NUMBERING.CONFLICT-x': definition(409) })).toThrow(/AREA.NAME/);
  });
});
