import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { problemTypeFor } from '@sms/kernel';
import { routingErrors } from '../../src/index.js';

const errorsDoc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

describe('error registry documentation', () => {
  it.each(Object.entries(routingErrors))('documents %s with its status and problem type', (code, definition) => {
    const row = errorsDoc.split('\n').find((line) => line.includes(`\`${code}\``));
    expect([row?.includes(`| ${definition.status} |`), row?.includes(problemTypeFor(code))]).toEqual([true, true]);
  });
});
