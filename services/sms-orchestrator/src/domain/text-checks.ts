/** True when the text contains a C0 or C1 control character or DEL. */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/** Length in Unicode code points (an emoji counts one, not two). */
export const codePointLength = (text: string): number => Array.from(text).length;
