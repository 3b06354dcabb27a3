import { describe, expect, it } from 'vitest';
import { GSM7_BASIC_CHARACTERS, GSM7_EXTENSION_CHARACTERS, gsm7Septets } from '../../../src/domain/gsm7-alphabet.js';

describe('GSM-7 alphabet', () => {
  it('has the 127 characters of the default table (128 positions less the escape)', () => {
    expect(GSM7_BASIC_CHARACTERS.size).toBe(127);
  });

  it('has the ten characters of the default extension table', () => {
    expect([...GSM7_EXTENSION_CHARACTERS].sort()).toEqual(['\f', '[', '\\', ']', '^', '{', '|', '}', '~', '€'].sort());
  });

  it('counts a basic-table character as one septet', () => {
    for (const character of ['@', '£', 'A', 'z', '0', ' ', '\n', '\r', 'Δ', 'ß', 'É', '¡', '§', '¿', 'à', 'Ç']) {
      expect(gsm7Septets(character), character).toBe(1);
    }
  });

  it('counts each extension character, form feed included, as two septets', () => {
    for (const character of ['^', '{', '}', '\\', '[', '~', ']', '|', '€', '\f']) {
      expect(gsm7Septets(character), character).toBe(2);
    }
  });

  it('does not represent characters outside both tables', () => {
    for (const character of ['ç', 'á', '`', '\t', '\u001b', 'ê', 'س', '😀', 'Ω\u0301']) {
      expect(gsm7Septets(character), character).toBeNull();
    }
  });
});
