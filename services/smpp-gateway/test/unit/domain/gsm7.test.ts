import { describe, expect, it } from 'vitest';
import { decodeGsm7, decodeUcs2, encodeGsm7, encodeUcs2 } from '../../../src/domain/gsm7.js';

describe('GSM 03.38 encoding', () => {
  it('encodes basic characters as one unpacked septet per octet', () => {
    expect([...(encodeGsm7('@A a0\n') ?? [])]).toEqual([0x00, 0x41, 0x20, 0x61, 0x30, 0x0a]);
  });

  it('encodes national characters at their table positions, not their Latin-1 codes', () => {
    expect([...(encodeGsm7('£¥èÄ§¿à') ?? [])]).toEqual([0x01, 0x03, 0x04, 0x5b, 0x5f, 0x60, 0x7f]);
  });

  it('encodes extension characters as the escape followed by their code', () => {
    expect([...(encodeGsm7('€[]{}') ?? [])]).toEqual([0x1b, 0x65, 0x1b, 0x3c, 0x1b, 0x3e, 0x1b, 0x28, 0x1b, 0x29]);
  });

  it('refuses a character outside the alphabet', () => {
    expect(encodeGsm7('salam سلام')).toBeNull();
  });

  it('refuses a literal escape character', () => {
    expect(encodeGsm7('\u001b')).toBeNull();
  });

  it('decodes what it encodes', () => {
    const text = 'Price: 5€ {ok} [x] ~|^\\ ÆæßÉ Δ_ΦΓ';
    expect(decodeGsm7(encodeGsm7(text) ?? new Uint8Array())).toBe(text);
  });

  it('decodes an escape before an unknown code as the basic character and a trailing escape as a space', () => {
    expect(decodeGsm7(Uint8Array.from([0x1b, 0x41, 0x1b]))).toBe('A ');
  });

  it('decodes an octet above 0x7F as the replacement character', () => {
    expect(decodeGsm7(Uint8Array.from([0x80]))).toBe('\ufffd');
  });
});

describe('UCS-2 encoding', () => {
  it('writes UTF-16 big-endian', () => {
    expect([...encodeUcs2('سA')]).toEqual([0x06, 0x33, 0x00, 0x41]);
  });

  it('keeps a surrogate pair as two code units', () => {
    expect(encodeUcs2('😀')).toHaveLength(4);
    expect(decodeUcs2(encodeUcs2('😀'))).toBe('😀');
  });

  it('ignores an odd trailing byte when decoding', () => {
    expect(decodeUcs2(Uint8Array.from([0x00, 0x41, 0x00]))).toBe('A');
  });
});
