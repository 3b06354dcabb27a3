/**
 * The GSM 03.38 / 3GPP TS 23.038 default alphabet, as Unicode characters, in table order
 * (0x00 … 0x7F). Position 0x1B is the escape to the extension table, not a character, so it is
 * left out: a literal U+001B in a body cannot be sent as GSM-7. Position 0x09 is the capital
 * C with cedilla (Ç), as the current specification reads; the small ç is not in the alphabet.
 */
const BASIC_TABLE =
  '@£$¥èéùìòÇ\nØø\rÅå' +
  'Δ_ΦΓΛΩΠΨΣΘΞ' + /* 0x1B escape */ 'ÆæßÉ' +
  ' !"#¤%&\'()*+,-./' +
  '0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNO' +
  'PQRSTUVWXYZÄÖÑÜ§' +
  '¿abcdefghijklmno' +
  'pqrstuvwxyzäöñüà';

/**
 * Characters of the default extension table: each is sent as the escape septet followed by its
 * own septet, so it counts two septets. Form feed (page break) is one of them.
 */
const EXTENSION_TABLE = '\f^{}\\[~]|€';

export const GSM7_BASIC_CHARACTERS: ReadonlySet<string> = new Set(BASIC_TABLE);
export const GSM7_EXTENSION_CHARACTERS: ReadonlySet<string> = new Set(EXTENSION_TABLE);

/** Septets a character takes in GSM-7: 1 (basic table), 2 (extension table) or null (not representable). */
export function gsm7Septets(character: string): 1 | 2 | null {
  if (GSM7_BASIC_CHARACTERS.has(character)) return 1;
  if (GSM7_EXTENSION_CHARACTERS.has(character)) return 2;
  return null;
}
