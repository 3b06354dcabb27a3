import { describe, expect, it } from 'vitest';
import { checkPartLimit, detectEncoding, segment } from '../../../src/domain/segmentation.js';

const gsm = (n: number): string => 'a'.repeat(n);
const ucs = (n: number): string => 'ب'.repeat(n);
const EMOJI = '😀';

describe('detectEncoding', () => {
  it('chooses GSM-7 when every character is in the default alphabet', () => {
    expect(detectEncoding('Hello @ £5, see you')).toBe('GSM-7');
  });

  it('chooses GSM-7 when the body uses extension characters', () => {
    expect(detectEncoding('Price: 5€ [promo] {x} ~ | ^ \\')).toBe('GSM-7');
  });

  it('chooses UCS-2 when one character is outside the GSM-7 alphabet', () => {
    expect(detectEncoding('Salaam ç')).toBe('UCS-2');
  });

  it('chooses UCS-2 for Dari text', () => {
    expect(detectEncoding('سلام')).toBe('UCS-2');
  });

  it('chooses UCS-2 for an emoji', () => {
    expect(detectEncoding(`ok ${EMOJI}`)).toBe('UCS-2');
  });
});

describe('segment (GSM-7)', () => {
  it('sends 160 septets as one part', () => {
    expect(segment(gsm(160))).toMatchObject({ encoding: 'GSM-7', units: 160, segmentCount: 1 });
  });

  it('splits 161 septets into two parts of 153 and 8', () => {
    const result = segment(gsm(161));
    expect(result.segmentCount).toBe(2);
    expect(result.parts.map((p) => p.length)).toEqual([153, 8]);
  });

  it('fits 306 septets (153 × 2) in two parts', () => {
    expect(segment(gsm(306)).segmentCount).toBe(2);
  });

  it('needs three parts for 307 septets', () => {
    expect(segment(gsm(307)).segmentCount).toBe(3);
  });

  it('fits 459 septets (153 × 3) in three parts and needs four for 460', () => {
    expect(segment(gsm(459)).segmentCount).toBe(3);
    expect(segment(gsm(460)).segmentCount).toBe(4);
  });

  it('counts an extension character as two septets, so 159 letters and a euro sign need two parts', () => {
    const result = segment(`${gsm(159)}€`);
    expect(result.units).toBe(161);
    expect(result.segmentCount).toBe(2);
  });

  it('sends 158 letters and a euro sign (160 septets) as one part', () => {
    expect(segment(`${gsm(158)}€`)).toMatchObject({ units: 160, segmentCount: 1 });
  });

  it('counts a form feed as two septets', () => {
    expect(segment('a\fb').units).toBe(4);
  });

  it('never splits an escape pair: an extension character that would straddle the boundary starts the next part', () => {
    const result = segment(`${gsm(152)}€${gsm(152)}`);
    expect(result.units).toBe(306);
    expect(result.parts[0]).toBe(gsm(152));
    expect(result.parts[1]?.startsWith('€')).toBe(true);
    expect(result.segmentCount).toBe(3);
  });

  it('keeps an extension character that ends exactly on the boundary in the first part', () => {
    const result = segment(`${gsm(151)}€${gsm(10)}`);
    expect(result.parts[0]).toBe(`${gsm(151)}€`);
    expect(result.segmentCount).toBe(2);
  });

  it('cuts parts whose concatenation is the original body', () => {
    const body = `${gsm(200)}[${gsm(100)}]€${gsm(50)}`;
    expect(segment(body).parts.join('')).toBe(body);
  });

  it('treats an empty body as one part', () => {
    expect(segment('')).toMatchObject({ encoding: 'GSM-7', units: 0, segmentCount: 1, parts: [''] });
  });
});

describe('segment (UCS-2)', () => {
  it('sends 70 code units as one part', () => {
    expect(segment(ucs(70))).toMatchObject({ encoding: 'UCS-2', units: 70, segmentCount: 1 });
  });

  it('splits 71 code units into two parts of 67 and 4', () => {
    const result = segment(ucs(71));
    expect(result.parts.map((p) => p.length)).toEqual([67, 4]);
  });

  it('fits 134 code units (67 × 2) in two parts and needs three for 135', () => {
    expect(segment(ucs(134)).segmentCount).toBe(2);
    expect(segment(ucs(135)).segmentCount).toBe(3);
  });

  it('counts GSM-7 characters as one code unit each once the body is UCS-2', () => {
    const result = segment(`${gsm(69)}ç`);
    expect(result).toMatchObject({ encoding: 'UCS-2', units: 70, segmentCount: 1 });
  });

  it('counts an extension character as one code unit in UCS-2', () => {
    expect(segment('€ç').units).toBe(2);
  });

  it('counts an emoji as two code units', () => {
    expect(segment(EMOJI)).toMatchObject({ encoding: 'UCS-2', units: 2, segmentCount: 1 });
  });

  it('sends 35 emoji (70 code units) as one part', () => {
    expect(segment(EMOJI.repeat(35)).segmentCount).toBe(1);
  });

  it('splits 36 emoji into 33 and 3, never cutting a surrogate pair', () => {
    const result = segment(EMOJI.repeat(36));
    expect(result.units).toBe(72);
    expect(result.parts.map((p) => p.length)).toEqual([66, 6]);
  });

  it('moves a surrogate pair that would straddle the boundary to the next part', () => {
    const result = segment(`${ucs(66)}${EMOJI}${ucs(10)}`);
    expect(result.parts[0]).toBe(ucs(66));
    expect(result.parts[1]?.startsWith(EMOJI)).toBe(true);
  });

  it('produces parts that are each well-formed UTF-16', () => {
    const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    const parts = segment(`a${EMOJI.repeat(100)}`).parts;
    expect(parts.some((part) => lone.test(part))).toBe(false);
    expect(parts.join('')).toBe(`a${EMOJI.repeat(100)}`);
  });
});

describe('checkPartLimit', () => {
  it('accepts a body with exactly the maximum number of parts', () => {
    expect(checkPartLimit(segment(gsm(306)), 2).ok).toBe(true);
  });

  it('refuses a body with one part too many, naming the limit', () => {
    const result = checkPartLimit(segment(gsm(307)), 2);
    expect(result).toEqual({
      ok: false,
      error: { code: 'ORCH.TOO_MANY_PARTS', message: 'needs 3 parts in GSM-7, more than this tenant\'s limit of 2 parts per message' },
    });
  });

  it('throws on a maximum below one', () => {
    expect(() => checkPartLimit(segment('hi'), 0)).toThrow(RangeError);
  });

  it('throws on a maximum above the 255 parts the concatenation header can count', () => {
    expect(() => checkPartLimit(segment('hi'), 256)).toThrow(RangeError);
  });

  it('throws on a fractional maximum', () => {
    expect(() => checkPartLimit(segment('hi'), 2.5)).toThrow(RangeError);
  });
});
