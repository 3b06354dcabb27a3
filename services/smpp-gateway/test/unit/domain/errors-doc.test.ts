import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RECEIPT_STATES, outcomeOfReceiptState } from '../../../src/domain/receipt-state.js';
import { smppGatewayErrors } from '../../../src/domain/smpp-gateway-errors.js';

const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

describe('error codes', () => {
  it.each(Object.entries(smppGatewayErrors))('documents %s with its title and status in docs/errors.md', (code, definition) => {
    expect(doc).toContain(`| \`${code}\` | ${definition.title} | ${definition.status} |`);
  });

  it('registers every code a receipt state can produce', () => {
    for (const state of RECEIPT_STATES) {
      const outcome = outcomeOfReceiptState(state);
      if (outcome.kind === 'final' && outcome.errorCode !== null) expect(Object.keys(smppGatewayErrors)).toContain(outcome.errorCode);
    }
  });
});
