import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { orchestratorErrors } from '../../../src/domain/sms-orchestrator-errors.js';

const errorsDoc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  for (const [code, definition] of Object.entries(orchestratorErrors)) {
    it(`documents ${code} with its title and status`, () => {
      expect(errorsDoc).toContain(`| \`${code}\` | ${definition.title} | ${definition.status} |`);
    });
  }
});
