import { describe, expect, it } from 'vitest';
import { CallbackUrl, MAX_CALLBACK_URL_LENGTH, isInternalIpLiteral } from '../../../src/domain/callback-url.js';
import { IDEMPOTENCY_WINDOW_MS, IdempotencyKey } from '../../../src/domain/idempotency-key.js';
import { MAX_BODY_CODE_UNITS, MessageBody } from '../../../src/domain/message-body.js';
import { Sender } from '../../../src/domain/sender.js';
import { hasControlCharacter } from '../../../src/domain/text-checks.js';

// Behaviours the first mutation run (docs/mutation-testing.md) showed no test pinned down.

const production = { allowLoopbackHttp: false };

describe('internal IP literals: the edges of each range', () => {
  it.each([
    ['169.254.0.1', true],
    ['169.253.0.1', false],
    ['1.254.0.1', false],
    ['172.15.255.255', false],
    ['172.16.0.0', true],
    ['172.31.0.1', true],
    ['8.16.0.1', false],
    ['192.168.0.1', true],
    ['192.167.0.1', false],
    ['8.168.0.1', false],
    ['100.63.255.255', false],
    ['100.64.0.0', true],
    ['100.127.255.255', true],
    ['8.64.0.1', false],
  ])('judges %s internal: %s', (host, internal) => {
    expect(isInternalIpLiteral(host)).toBe(internal);
  });

  it('does not read a dotted-quad tail or head of a longer name as an IPv4 literal', () => {
    expect(isInternalIpLiteral('1.10.0.0.1')).toBe(false);
    expect(isInternalIpLiteral('10.0.0.1.5')).toBe(false);
  });

  it('treats the unspecified IPv6 address as internal', () => {
    expect(isInternalIpLiteral('[::]')).toBe(true);
  });

  it('looks for unique-local and link-local IPv6 prefixes only at the start of the address', () => {
    expect(isInternalIpLiteral('[2001:db8::fc00]')).toBe(false);
    expect(isInternalIpLiteral('[2001:db8::fe80]')).toBe(false);
  });
});

describe('CallbackUrl refusals carry ORCH.INVALID_CALLBACK_URL', () => {
  it.each([
    ['a URL that is too long', `https://hooks.example.com/${'a'.repeat(MAX_CALLBACK_URL_LENGTH)}`],
    ['credentials', 'https://user:secret@hooks.example.com/'],
    ['another scheme', 'ftp://hooks.example.com/'],
    ['a private address', 'https://10.0.0.1/cb'],
  ])('for %s', (_label, raw) => {
    const parsed = CallbackUrl.parse(raw, production);
    expect(!parsed.ok && parsed.error.code).toBe('ORCH.INVALID_CALLBACK_URL');
  });

  it('refuses a password given without a user name', () => {
    const parsed = CallbackUrl.parse('https://:secret@hooks.example.com/', production);
    expect(!parsed.ok && parsed.error.message).toBe('must not contain a user name or password');
  });

  it('accepts a URL of exactly 2048 characters', () => {
    const prefix = 'https://hooks.example.com/';
    const raw = `${prefix}${'a'.repeat(MAX_CALLBACK_URL_LENGTH - prefix.length)}`;
    expect(raw).toHaveLength(2048);
    expect(CallbackUrl.parse(raw, production).ok).toBe(true);
  });
});

describe('IdempotencyKey', () => {
  it.each([
    ['an empty key', ''],
    ['a key of 256 characters', 'k'.repeat(256)],
    ['a key with a space', 'order 42'],
    ['a key with a non-ASCII character', 'zählung-1'],
  ])('refuses %s with ORCH.INVALID_IDEMPOTENCY_KEY', (_label, raw) => {
    const parsed = IdempotencyKey.parse(raw);
    expect(!parsed.ok && parsed.error).toEqual({
      code: 'ORCH.INVALID_IDEMPOTENCY_KEY',
      message: 'must be 1 to 255 visible ASCII characters without spaces',
    });
  });

  it('accepts a key of 255 visible characters', () => {
    expect(IdempotencyKey.parse('k'.repeat(255)).ok).toBe(true);
  });

  it('keeps an idempotency record for 48 hours', () => {
    expect(IDEMPOTENCY_WINDOW_MS).toBe(48 * 60 * 60 * 1000);
  });
});

describe('MessageBody refusals carry ORCH.INVALID_BODY', () => {
  it.each([
    ['a body that is too long', 'a'.repeat(MAX_BODY_CODE_UNITS + 1)],
    ['an unpaired surrogate', 'hello \uD83D'],
  ])('for %s', (_label, raw) => {
    const parsed = MessageBody.parse(raw);
    expect(!parsed.ok && parsed.error.code).toBe('ORCH.INVALID_BODY');
  });
});

describe('Sender', () => {
  const messageOf = (raw: string): string => {
    const parsed = Sender.parse(raw);
    return parsed.ok ? 'accepted' : parsed.error.message;
  };

  it('explains digits-only senders that are neither a short code nor E.164, and only those', () => {
    expect(messageOf('123456789')).toBe('a short code has 3 to 6 digits and no leading zero; an MSISDN must be E.164 with a leading +');
    expect(messageOf('abc123')).toBe(
      'must be an E.164 MSISDN or a short code of 3 to 6 digits (alphanumeric senders are not supported)',
    );
    expect(messageOf('123abc')).toBe(
      'must be an E.164 MSISDN or a short code of 3 to 6 digits (alphanumeric senders are not supported)',
    );
  });
});

describe('control characters', () => {
  it('does not count a space as a control character', () => {
    expect(hasControlCharacter('a b')).toBe(false);
  });

  it('counts the last C1 control, U+009F', () => {
    expect(hasControlCharacter('a\u009Fb')).toBe(true);
  });
});
