import { describe, expect, it } from 'vitest';
import { decodeGsm7, decodeUcs2 } from '../../../src/domain/gsm7.js';
import { chooseEncoding, readConcatenationHeader, splitMessage } from '../../../src/domain/message-parts.js';
import type { SplitMessage } from '../../../src/domain/message-parts.js';

function split(body: string, encoding: 'GSM-7' | 'UCS-2', reference = 7): SplitMessage {
  const result = splitMessage(body, encoding, reference);
  if (!result.ok) throw new Error(`split failed: ${result.error.kind}`);
  return result.value;
}

describe('splitting a message into SMPP parts', () => {
  it('sends a 160-character GSM-7 message as one part without UDH and data_coding 0', () => {
    const message = split('a'.repeat(160), 'GSM-7');
    expect(message.parts).toHaveLength(1);
    expect(message.parts[0]?.udh).toBeNull();
    expect(message.dataCoding).toBe(0x00);
    expect(message.esmClass).toBe(0x00);
    expect(message.parts[0]?.shortMessage).toHaveLength(160);
  });

  it('splits a 161-character GSM-7 message into parts of 153 and 8 septets', () => {
    const message = split('a'.repeat(161), 'GSM-7');
    expect(message.parts.map((part) => part.text.length)).toEqual([153, 8]);
    expect(message.esmClass).toBe(0x40);
  });

  it('counts an extension character as two septets', () => {
    expect(split('€'.repeat(80), 'GSM-7').parts).toHaveLength(1);
    expect(split('€'.repeat(81), 'GSM-7').parts).toHaveLength(2);
  });

  it('never ends a part between the escape and its extension character', () => {
    const message = split(`${'a'.repeat(152)}€${'b'.repeat(10)}`, 'GSM-7');
    expect(message.parts.map((part) => part.text)).toEqual(['a'.repeat(152), `€${'b'.repeat(10)}`]);
    expect(message.parts[0]?.shortMessage.at(-1)).toBe(0x61);
  });

  it('sends 70 UCS-2 characters as one part and 71 as parts of 67 and 4 with data_coding 8', () => {
    expect(split('س'.repeat(70), 'UCS-2').parts).toHaveLength(1);
    const message = split('س'.repeat(71), 'UCS-2');
    expect(message.parts.map((part) => part.text.length)).toEqual([67, 4]);
    expect(message.dataCoding).toBe(0x08);
  });

  it('never splits a surrogate pair between two parts', () => {
    const message = split(`${'س'.repeat(66)}😀xxxxx`, 'UCS-2');
    expect(message.parts.map((part) => part.text)).toEqual(['س'.repeat(66), '😀xxxxx']);
  });

  it('puts the concatenation UDH 05 00 03 ref total seq in front of each part', () => {
    const message = split('س'.repeat(150), 'UCS-2', 42);
    expect(message.parts.map((part) => [...(part.udh ?? [])])).toEqual([
      [0x05, 0x00, 0x03, 42, 3, 1],
      [0x05, 0x00, 0x03, 42, 3, 2],
      [0x05, 0x00, 0x03, 42, 3, 3],
    ]);
    const first = message.parts[0];
    expect(first?.shortMessage.length).toBe(6 + 67 * 2);
    expect(decodeUcs2(first?.shortMessage.subarray(6) ?? new Uint8Array())).toBe('س'.repeat(67));
  });

  it('keeps each part within 140 octets of user data', () => {
    for (const [body, encoding] of [
      ['a'.repeat(1000), 'GSM-7'],
      ['€'.repeat(500), 'GSM-7'],
      ['س'.repeat(500), 'UCS-2'],
    ] as const) {
      for (const part of split(body, encoding).parts) {
        const octets = encoding === 'GSM-7' ? Math.ceil(((part.shortMessage.length - 6) * 7) / 8) + 6 : part.shortMessage.length;
        expect(octets).toBeLessThanOrEqual(140);
      }
    }
  });

  it('encodes GSM-7 parts as unpacked septets that decode back to the text', () => {
    const message = split('Hello {world} '.repeat(20), 'GSM-7');
    expect(message.parts.map((part) => decodeGsm7(part.shortMessage.subarray(6))).join('')).toBe('Hello {world} '.repeat(20));
  });

  it('refuses GSM-7 for a body with a character outside the alphabet, naming it', () => {
    expect(splitMessage('hi ش', 'GSM-7', 1)).toEqual({ ok: false, error: { kind: 'not-gsm7', character: 'ش' } });
  });

  it('refuses a body that needs more than 255 parts', () => {
    expect(splitMessage('a'.repeat(153 * 255 + 1), 'GSM-7', 1)).toEqual({ ok: false, error: { kind: 'too-many-parts', parts: 256 } });
  });

  it('refuses a concatenation reference outside 0 to 255', () => {
    expect(() => splitMessage('a', 'GSM-7', 256)).toThrow(RangeError);
  });

  it('sends an empty body as one empty part', () => {
    expect(split('', 'GSM-7').parts[0]?.shortMessage).toHaveLength(0);
  });

  it('chooses GSM-7 for the default alphabet and UCS-2 otherwise', () => {
    expect(chooseEncoding('Your code is 1234 €')).toBe('GSM-7');
    expect(chooseEncoding('کود شما')).toBe('UCS-2');
  });
});

describe('reading a concatenation header', () => {
  it('reads the 8-bit reference form', () => {
    expect(readConcatenationHeader(Uint8Array.from([0x05, 0x00, 0x03, 9, 3, 2]))).toEqual({ reference: 9, total: 3, sequence: 2 });
  });

  it('reads the 16-bit reference form after another element', () => {
    const udh = Uint8Array.from([0x09, 0x24, 0x01, 0x00, 0x08, 0x04, 0x01, 0x02, 4, 1]);
    expect(readConcatenationHeader(udh)).toEqual({ reference: 0x0102, total: 4, sequence: 1 });
  });

  it('answers null for a header without concatenation or a truncated one', () => {
    expect(readConcatenationHeader(Uint8Array.from([0x03, 0x24, 0x01, 0x00]))).toBeNull();
    expect(readConcatenationHeader(Uint8Array.from([0x05, 0x00, 0x03]))).toBeNull();
    expect(readConcatenationHeader(new Uint8Array())).toBeNull();
  });
});
