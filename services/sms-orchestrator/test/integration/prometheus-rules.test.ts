import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { markdownHeadingAnchors, promtool } from '@sms/testing';

const RULES = fileURLToPath(new URL('../../../../deploy/prometheus/sms-orchestrator.rules.yml', import.meta.url));
const RULE_TESTS = fileURLToPath(new URL('../prometheus/sms-orchestrator.rules.test.yml', import.meta.url));
const RUNBOOKS = fileURLToPath(new URL('../../docs/runbooks.md', import.meta.url));
const ALERTS = ['OrchHigh5xx', 'OrchDlqBurst', 'OrchRoutingEngineDown', 'OrchRedisErrors', 'OrchPgErrors', 'OrchNatsPublishErrors'];

describe('the Prometheus alerts of sms-orchestrator', () => {
  it('are accepted by promtool check rules', async () => {
    const result = await promtool('check', 'rules', RULES);

    expect(result.output).toContain('SUCCESS: 6 rules found');
    expect(result.code).toBe(0);
  });

  it('pass their promtool unit tests: each fires on its condition and stays quiet otherwise', async () => {
    const result = await promtool('test', 'rules', RULE_TESTS);

    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('are exactly the six alerts of the readiness checklist', async () => {
    const rules = await readFile(RULES, 'utf8');

    expect([...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1])).toEqual(ALERTS);
  });

  it('each link to a runbook section that exists in docs/runbooks.md', async () => {
    const [rules, runbooks] = await Promise.all([readFile(RULES, 'utf8'), readFile(RUNBOOKS, 'utf8')]);
    const links = [...rules.matchAll(/runbook_url: services\/sms-orchestrator\/docs\/runbooks\.md#([\w-]+)/g)].map((m) => m[1]);
    const anchors = markdownHeadingAnchors(runbooks);

    expect(links).toEqual(ALERTS.map((a) => a.toLowerCase()));
    expect(links.filter((link) => !anchors.has(link ?? ''))).toEqual([]);
  });
});
