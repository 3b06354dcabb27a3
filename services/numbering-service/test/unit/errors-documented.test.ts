import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { numberingErrors, numberingGrpcStatus } from '../../src/index.js';
import type { NumberingErrorCode } from '../../src/index.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const codes = Object.keys(numberingErrors) as NumberingErrorCode[];

describe('error code registry', () => {
  it.each(codes)('documents %s with its title, status and gRPC status in docs/errors.md', (code) => {
    const def = numberingErrors[code];
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));

    expect(row?.split('|').map((cell) => cell.trim()).slice(2, 5)).toEqual([def.title, String(def.status), `\`${numberingGrpcStatus[code]}\``]);
  });

  it('documents no code that the registry does not have', () => {
    const documented = [...doc.matchAll(/^\| `(NUMBERING\.[A-Z_]+)` \|/gm)].map((m) => m[1]);

    expect(documented.sort()).toEqual([...codes].sort());
  });

  it('answers gRPC ABORTED for a lost compare-and-swap race', () => {
    expect([numberingErrors['NUMBERING.CONFLICT'].status, numberingGrpcStatus['NUMBERING.CONFLICT']]).toEqual([409, 'ABORTED']);
  });
});
