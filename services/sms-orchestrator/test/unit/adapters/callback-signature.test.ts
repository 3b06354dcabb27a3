import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signCallback, verifyCallbackSignature } from '../../../src/adapters/callbacks/callback-signature.js';

const secret = Buffer.alloc(32, 7);
const body = '{"message_id":"m-1","status":"delivered"}';

describe('callback signatures', () => {
  it('sign the timestamp, a dot and the body with HMAC-SHA256 of the tenant secret', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');

    expect(signCallback(secret, 1_700_000_000, body)).toBe(`t=1700000000,v1=${expected}`);
  });

  it('verify a signature made with the same secret over the same body', () => {
    expect(verifyCallbackSignature(secret, signCallback(secret, 1_700_000_000, body), body)).toBe(true);
  });

  it('refuse a signature over another body', () => {
    expect(verifyCallbackSignature(secret, signCallback(secret, 1_700_000_000, body), `${body} `)).toBe(false);
  });

  it('refuse a signature made with another secret', () => {
    expect(verifyCallbackSignature(Buffer.alloc(32, 8), signCallback(secret, 1_700_000_000, body), body)).toBe(false);
  });
});
