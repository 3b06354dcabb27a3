import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { authErrors } from '@sms/auth';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('authErrors', () => {
  it.each(Object.entries(authErrors))('documents %s with its status in the README', (code, definition) => {
    expect(readme).toMatch(new RegExp(`\\| \`${code.replace('.', '\\.')}\` \\| ${definition.status} \\|`));
  });

  it('answers 401 to every token problem', () => {
    const tokenCodes = Object.keys(authErrors).filter((code) => /TOKEN|WRONG_/.test(code));

    expect(tokenCodes.map((code) => authErrors[code as keyof typeof authErrors].status)).toEqual(tokenCodes.map(() => 401));
  });
});
