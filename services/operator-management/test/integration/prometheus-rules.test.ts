import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { markdownHeadingAnchors, promtool } from '@sms/testing';

const RULES = fileURLToPath(new URL('../../../../deploy/prometheus/operator-management.rules.yml', import.meta.url));
const RULE_TESTS = fileURLToPath(new URL('../prometheus/operator-management.rules.test.yml', import.meta.url));
const RUNBOOKS = fileURLToPath(new URL('../../docs/runbooks.md', import.meta.url));

describe('deploy/prometheus/operator-management.rules.yml', () => {
  it('passes promtool check rules with its six alerts', async () => {
    const result = await promtool('check', 'rules', RULES);
    expect(result.output).toContain('SUCCESS: 6 rules found');
    expect(result.code).toBe(0);
  });

  it('passes its promtool unit tests: each alert fires on its condition and not before', async () => {
    const result = await promtool('test', 'rules', RULE_TESTS);
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('links every alert to a runbook section that exists', async () => {
    const [rules, runbooks] = await Promise.all([readFile(RULES, 'utf8'), readFile(RUNBOOKS, 'utf8')]);
    const alerts = [...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1] ?? '');
    const links = [...rules.matchAll(/runbook_url: services\/operator-management\/docs\/runbooks\.md#([\w-]+)/g)].map((m) => m[1]);
    const anchors = markdownHeadingAnchors(runbooks);
    expect(alerts).toHaveLength(6);
    expect(links).toEqual(alerts.map((a) => a.toLowerCase()));
    expect(links.filter((l) => !anchors.has(l ?? ''))).toEqual([]);
  });
});
