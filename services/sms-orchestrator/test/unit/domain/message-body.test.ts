import { describe, expect, it } from 'vitest';
import { MAX_BODY_CODE_UNITS, MessageBody } from '../../../src/domain/message-body.js';

const reasonFor = (raw: string): string | null => {
  const result = MessageBody.parse(raw);
  return result.ok ? null : result.error.message;
};

describe('MessageBody', () => {
  it('accepts ordinary text', () => {
    const result = MessageBody.parse('Your code is 482913');
    expect(result.ok && result.value.text).toBe('Your code is 482913');
  });

  it('accepts tab, line feed, form feed and carriage return', () => {
    expect(MessageBody.parse('a\tb\nc\fd\re').ok).toBe(true);
  });

  it('accepts emoji (well-formed surrogate pairs)', () => {
    expect(MessageBody.parse('ok 😀').ok).toBe(true);
  });

  it('refuses an empty body', () => {
    expect(reasonFor('')).toBe('must not be empty or only whitespace');
  });

  it('refuses a body of whitespace only', () => {
    expect(reasonFor(' \n\t ')).toBe('must not be empty or only whitespace');
  });

  it('accepts a body of exactly the maximum length', () => {
    expect(MessageBody.parse('a'.repeat(MAX_BODY_CODE_UNITS)).ok).toBe(true);
  });

  it('refuses a body one character over the maximum length', () => {
    expect(reasonFor('a'.repeat(MAX_BODY_CODE_UNITS + 1))).toBe(`must be at most ${MAX_BODY_CODE_UNITS} characters (255 parts)`);
  });

  it('refuses a lone high surrogate', () => {
    expect(reasonFor('abc\uD83D')).toBe('contains an unpaired UTF-16 surrogate');
  });

  it('refuses a lone low surrogate', () => {
    expect(reasonFor('\uDE00abc')).toBe('contains an unpaired UTF-16 surrogate');
  });

  it('refuses a NUL character', () => {
    expect(reasonFor('a\u0000b')).toBe('contains a control character (only tab, line feed, form feed and carriage return are allowed)');
  });

  it('refuses the escape character', () => {
    expect(MessageBody.parse('a\u001bb').ok).toBe(false);
  });

  it('refuses DEL', () => {
    expect(MessageBody.parse('a\u007fb').ok).toBe(false);
  });

  it('refuses a vertical tab', () => {
    expect(MessageBody.parse('a\u000bb').ok).toBe(false);
  });

  it('uses the error code ORCH.INVALID_BODY', () => {
    const result = MessageBody.parse('');
    expect(!result.ok && result.error.code).toBe('ORCH.INVALID_BODY');
  });
});
