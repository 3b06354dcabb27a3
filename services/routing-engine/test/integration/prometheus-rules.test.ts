import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const RULES = fileURLToPath(new URL('../../../../deploy/prometheus/routing-engine.rules.yml', import.meta.url));
const RULE_TESTS = fileURLToPath(new URL('../support/prometheus/routing-engine.rules.test.yml', import.meta.url));

describe('routing-engine alert rules', () => {
  it('pass promtool check rules', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', RULES]);
    expect(stdout).toContain('SUCCESS: 6 rules found');
  });

  it('fire as their promtool unit tests expect', async () => {
    const { stdout } = await run('promtool', ['test', 'rules', RULE_TESTS]);
    expect(stdout).toContain('SUCCESS');
  });
});
