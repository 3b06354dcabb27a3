import { describe, expect, it } from 'vitest';
import { canonicalSmscMessageId, receiptLookupKey } from '../../../src/domain/smsc-message-id.js';

describe('SMSC message id normalisation', () => {
  it('lower-cases and trims', () => {
    expect(canonicalSmscMessageId(' 5F3A9C01 ')).toBe('5f3a9c01');
  });

  it('drops leading zeros', () => {
    expect(canonicalSmscMessageId('000123')).toBe('123');
  });

  it('keeps a lone zero', () => {
    expect(canonicalSmscMessageId('0000')).toBe('0');
  });

  it('answers empty for a blank id and no lookup key', () => {
    expect(canonicalSmscMessageId('  ')).toBe('');
    expect(receiptLookupKey('  ', 'same')).toBeNull();
  });

  it('matches a receipt id that differs only in case and leading zeros', () => {
    expect(receiptLookupKey('000A1B', 'same')).toBe(canonicalSmscMessageId('a1b'));
  });

  it('converts a decimal receipt id to the hexadecimal form of the submit response', () => {
    expect(receiptLookupKey('0002587', 'submit-hex-receipt-decimal')).toBe(canonicalSmscMessageId('00000A1B'));
  });

  it('converts a hexadecimal receipt id to the decimal form of the submit response', () => {
    expect(receiptLookupKey('00FF', 'submit-decimal-receipt-hex')).toBe('255');
  });

  it('takes an id that is not a number in the announced base as it is', () => {
    expect(receiptLookupKey('MSG-1', 'submit-hex-receipt-decimal')).toBe('msg-1');
    expect(receiptLookupKey('xyz', 'submit-decimal-receipt-hex')).toBe('xyz');
  });

  it('converts ids beyond the safe integer range exactly', () => {
    expect(receiptLookupKey('18446744073709551615', 'submit-hex-receipt-decimal')).toBe('ffffffffffffffff');
  });
});
