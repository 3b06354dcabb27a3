/**
 * The GSM 03.38 (3GPP TS 23.038) default alphabet and its extension table, as SMPP carries them:
 * with `data_coding` 0x00 the `short_message` holds one septet value per octet (unpacked), an
 * extension character being the escape 0x1B followed by its code.
 */
const BASIC_TABLE =
  '@£$¥èéùìòÇ\nØø\rÅå' +
  'Δ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ' +
  ' !"#¤%&\'()*+,-./' +
  '0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNO' +
  'PQRSTUVWXYZÄÖÑÜ§' +
  '¿abcdefghijklmno' +
  'pqrstuvwxyzäöñüà';

/** Extension table: character → its code after the escape. */
const EXTENSION: ReadonlyMap<string, number> = new Map([
  ['\f', 0x0a],
  ['^', 0x14],
  ['{', 0x28],
  ['}', 0x29],
  ['\\', 0x2f],
  ['[', 0x3c],
  ['~', 0x3d],
  [']', 0x3e],
  ['|', 0x40],
  ['€', 0x65],
]);

export const GSM7_ESCAPE = 0x1b;

const BASIC: ReadonlyMap<string, number> = new Map(
  Array.from(BASIC_TABLE, (character, code) => [character, code] as const).filter(([, code]) => code !== GSM7_ESCAPE),
);
const BASIC_DECODE: readonly string[] = Array.from(BASIC_TABLE);
const EXTENSION_DECODE: ReadonlyMap<number, string> = new Map(Array.from(EXTENSION, ([character, code]) => [code, character]));

/** The septets of one character (1 or 2, escape first), or null when the alphabet lacks it. */
export function gsm7CharacterSeptets(character: string): readonly number[] | null {
  const basic = BASIC.get(character);
  if (basic !== undefined) return [basic];
  const extension = EXTENSION.get(character);
  if (extension !== undefined) return [GSM7_ESCAPE, extension];
  return null;
}

/** The text as unpacked septets (one per octet), or null when a character is outside the alphabet. */
export function encodeGsm7(text: string): Uint8Array | null {
  const septets: number[] = [];
  for (const character of text) {
    const encoded = gsm7CharacterSeptets(character);
    if (encoded === null) return null;
    septets.push(...encoded);
  }
  return Uint8Array.from(septets);
}

/**
 * Unpacked septets back to text. An escape followed by a code the extension table lacks reads as
 * the basic character of that code (3GPP TS 23.038 says a receiver shall do so); a trailing escape
 * reads as a space. Octets above 0x7F are not septets and read as U+FFFD.
 */
export function decodeGsm7(septets: Uint8Array): string {
  let text = '';
  for (let index = 0; index < septets.length; index += 1) {
    const code = septets[index] ?? 0;
    if (code === GSM7_ESCAPE) {
      const next = septets[index + 1];
      index += 1;
      if (next === undefined) text += ' ';
      else text += EXTENSION_DECODE.get(next) ?? BASIC_DECODE[next] ?? '\ufffd';
      continue;
    }
    text += BASIC_DECODE[code] ?? '\ufffd';
  }
  return text;
}

/** UTF-16BE bytes of the text (UCS-2 as SMSCs take it; surrogate pairs pass through as two units). */
export function encodeUcs2(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length * 2);
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    bytes[index * 2] = unit >> 8;
    bytes[index * 2 + 1] = unit & 0xff;
  }
  return bytes;
}

/** UTF-16BE bytes back to text; an odd trailing byte is ignored. */
export function decodeUcs2(bytes: Uint8Array): string {
  let text = '';
  for (let index = 0; index + 1 < bytes.length; index += 2) {
    text += String.fromCharCode(((bytes[index] ?? 0) << 8) | (bytes[index + 1] ?? 0));
  }
  return text;
}
