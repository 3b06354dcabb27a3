import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { promtool } from '@sms/testing';

const RULES = fileURLToPath(new URL('../../../../deploy/prometheus/routing-engine.rules.yml', import.meta.url));
const RULE_TESTS = fileURLToPath(new URL('../support/prometheus/routing-engine.rules.test.yml', import.meta.url));

describe('routing-engine alert rules', () => {
  it('pass promtool check rules', async () => {
    const result = await promtool('check', 'rules', RULES);
    expect(result.output).toContain('SUCCESS: 6 rules found');
    expect(result.code).toBe(0);
  });

  it('fire as their promtool unit tests expect', async () => {
    const result = await promtool('test', 'rules', RULE_TESTS);
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });
});
