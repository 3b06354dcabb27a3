import { describe, expect, it } from 'vitest';
import { ClientReference } from '../../../src/domain/client-reference.js';

describe('ClientReference', () => {
  it('accepts a short reference', () => {
    const result = ClientReference.parse('otp-4711');
    expect(result.ok && result.value.value).toBe('otp-4711');
  });

  it('accepts 64 characters', () => {
    expect(ClientReference.parse('r'.repeat(64)).ok).toBe(true);
  });

  it('counts an emoji as one character', () => {
    expect(ClientReference.parse('😀'.repeat(64)).ok).toBe(true);
  });

  it('refuses 65 characters', () => {
    expect(ClientReference.parse('r'.repeat(65))).toEqual({
      ok: false,
      error: { code: 'ORCH.INVALID_CLIENT_REFERENCE', message: 'must be 1 to 64 characters' },
    });
  });

  it('refuses an empty reference', () => {
    expect(ClientReference.parse('').ok).toBe(false);
  });

  it('refuses a control character', () => {
    expect(ClientReference.parse('ref\n1')).toEqual({
      ok: false,
      error: { code: 'ORCH.INVALID_CLIENT_REFERENCE', message: 'must not contain control characters' },
    });
  });

  it('refuses a C1 control character', () => {
    expect(ClientReference.parse('ref\u0085')).toMatchObject({ ok: false });
  });

  it('refuses DEL', () => {
    expect(ClientReference.parse('ref\u007f')).toMatchObject({ ok: false });
  });
});
