import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requestFingerprint } from '../../../src/domain/request-fingerprint.js';

describe('requestFingerprint', () => {
  it('is the SHA-256 of the canonical JSON of operation and request', () => {
    const expected = createHash('sha256').update('{"operation":"send","request":{"body":"Hi","from":"123","to":"+93791234567"}}').digest('hex');
    expect(requestFingerprint('send', { to: '+93791234567', from: '123', body: 'Hi' })).toBe(expected);
  });

  it('does not depend on the order of keys', () => {
    expect(requestFingerprint('send', { a: 1, b: { c: 2, d: 3 } })).toBe(requestFingerprint('send', { b: { d: 3, c: 2 }, a: 1 }));
  });

  it('treats an undefined property as absent', () => {
    expect(requestFingerprint('send', { to: 'x', clientReference: undefined })).toBe(requestFingerprint('send', { to: 'x' }));
  });

  it('changes when any value changes', () => {
    expect(requestFingerprint('send', { to: '+93791234567' })).not.toBe(requestFingerprint('send', { to: '+93791234568' }));
  });

  it('differs between the send and bulk endpoints for the same body', () => {
    expect(requestFingerprint('send', { to: 'x' })).not.toBe(requestFingerprint('bulk', { to: 'x' }));
  });

  it('spells numbers canonically', () => {
    expect(requestFingerprint('send', { validityPeriod: 600 })).toBe(requestFingerprint('send', { validityPeriod: 600.0 }));
  });

  it('throws on a lone surrogate (requests are validated first)', () => {
    expect(() => requestFingerprint('send', { body: '\uD800' })).toThrow();
  });
});
