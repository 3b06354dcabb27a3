import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configErrors } from '../../src/domain/config-errors.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it('documents every error code with its status', () => {
    const missing = Object.entries(configErrors).filter(([code, def]) => !new RegExp(`\\|\\s*\`${code.replace('.', '\\.')}\`\\s*\\|\\s*${def.status}\\s*\\|`).test(doc));
    expect(missing.map(([code]) => code)).toEqual([]);
  });

  it('documents no code that the registry does not have', () => {
    const documented = [...doc.matchAll(/`(CONFIG\.[A-Z_]+)`/g)].map((m) => m[1]);
    expect(documented.filter((code) => !(code! in configErrors))).toEqual([]);
  });
});
