import { describe, expect, it } from 'vitest';
import { isValidTenantId } from '@sms/db';

describe('isValidTenantId', () => {
  it.each(['tenant-a', '0194d7c2-7a3e-7cc1-9d0e-2a1b3c4d5e6f', 'gov.moe', 'T1', 'acme:retail_2'])('accepts %s', (id) => {
    expect(isValidTenantId(id)).toBe(true);
  });

  it.each([
    ['an empty string', ''],
    ['a quote', "a'b"],
    ['a space', 'a b'],
    ['a leading dash', '-abc'],
    ['129 characters', 'a'.repeat(129)],
  ])('refuses %s', (_label, id) => {
    expect(isValidTenantId(id)).toBe(false);
  });

  it('refuses a value that is not a string', () => {
    expect(isValidTenantId(42)).toBe(false);
  });
});
