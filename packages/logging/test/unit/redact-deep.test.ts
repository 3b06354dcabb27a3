import { describe, expect, it } from 'vitest';
import { REDACTED, SENSITIVE_KEYS, isSensitiveKey, redactDeep } from '@sms/logging';

describe('redactDeep', () => {
  it('removes the value of every documented sensitive key', () => {
    const input = Object.fromEntries(SENSITIVE_KEYS.map((key) => [key, 'leak']));

    const output = redactDeep(input) as Record<string, unknown>;

    expect(Object.values(output).every((value) => value === REDACTED)).toBe(true);
  });

  it('matches sensitive keys whatever their case and separators', () => {
    expect(['Password', 'apiKey', 'X-Api-Key', 'AUTHORIZATION', 'refreshToken', 'privateKey', 'bindPassword'].every(isSensitiveKey)).toBe(
      true,
    );
  });

  it('keeps ordinary keys', () => {
    expect(['status', 'tenant_id', 'idempotency_key', 'tokens_used', 'message_id'].some(isSensitiveKey)).toBe(false);
  });

  it('redacts at any depth, inside arrays too', () => {
    const output = redactDeep({ batch: [{ to: '+93701234567', text: 'your code is 1234' }], auth: { token: 't' } });

    expect(output).toEqual({ batch: [{ to: '+********567', text: REDACTED }], auth: { token: REDACTED } });
  });

  it('redacts a "key" that holds a secret and keeps one that names something', () => {
    const output = redactDeep([
      { key: 'c2stbGl2ZS0xMjM0NTY3ODkwYWJjZGVm' },
      { key: '-----BEGIN PRIVATE KEY-----\nMIIE' },
      { key: 'idem:tenant-1:abc' },
      { key: '550e8400-e29b-41d4-a716-446655440000' },
    ]);

    expect(output).toEqual([
      { key: REDACTED },
      { key: REDACTED },
      { key: 'idem:tenant-1:abc' },
      { key: '550e8400-e29b-41d4-a716-446655440000' },
    ]);
  });

  it('turns an error into a plain object and masks its message, stack and fields', () => {
    const error = Object.assign(new Error('no route for +93701234567'), { password: 'p', msisdn: '93701234567' });

    const output = redactDeep(error) as Record<string, string>;

    expect(output.type).toBe('Error');
    expect(output.message).toBe('no route for +********567');
    expect(output.stack).toContain('no route for +********567');
    expect(output.password).toBe(REDACTED);
    expect(JSON.stringify(output)).not.toContain('93701234567');
  });

  it('follows an error cause', () => {
    const error = new Error('outer', { cause: new Error('inner 93701234567') });

    expect(JSON.stringify(redactDeep(error))).not.toContain('93701234567');
  });

  it('survives circular references', () => {
    const node: Record<string, unknown> = { name: 'a' };
    node.self = node;

    expect(redactDeep(node)).toEqual({ name: 'a', self: '[Circular]' });
  });

  it('replaces binary data by its size', () => {
    expect(redactDeep({ pdu: Buffer.from('hello') })).toEqual({ pdu: '[Binary 5 bytes]' });
  });
});
