import { describe, expect, it } from 'vitest';
import { IdempotencyKey } from '../../../src/domain/idempotency-key.js';

describe('IdempotencyKey', () => {
  it('accepts a UUID', () => {
    const result = IdempotencyKey.parse('0b6f6a2e-9d1c-4c1e-8f7a-2f1d3c4b5a69');
    expect(result.ok && result.value.value).toBe('0b6f6a2e-9d1c-4c1e-8f7a-2f1d3c4b5a69');
  });

  it('accepts 255 visible ASCII characters', () => {
    expect(IdempotencyKey.parse('k'.repeat(255)).ok).toBe(true);
  });

  it('refuses 256 characters', () => {
    expect(IdempotencyKey.parse('k'.repeat(256))).toEqual({
      ok: false,
      error: { code: 'ORCH.INVALID_IDEMPOTENCY_KEY', message: 'must be 1 to 255 visible ASCII characters without spaces' },
    });
  });

  it('refuses an empty key', () => {
    expect(IdempotencyKey.parse('').ok).toBe(false);
  });

  it('refuses a space', () => {
    expect(IdempotencyKey.parse('my key').ok).toBe(false);
  });

  it('refuses non-ASCII characters', () => {
    expect(IdempotencyKey.parse('clé').ok).toBe(false);
  });
});
