import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { problemTypeFor } from '@sms/kernel';
import { operatorManagementErrors } from '../../../src/index.js';

const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it.each(Object.entries(operatorManagementErrors))('documents %s with its status, title and problem type', (code, def) => {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` | ${def.status} |`));
    expect(row).toBeDefined();
    expect(row).toContain(problemTypeFor(code));
    expect(row).toContain(def.title);
  });

  it('lists no code that the registry does not have', () => {
    const documented = [...doc.matchAll(/^\| `(OPS\.[A-Z_]+)` \| \d{3} \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(operatorManagementErrors).sort());
  });
});
