import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { markdownHeadingAnchors, promtool } from '@sms/testing';

const RULES = fileURLToPath(new URL('../../../../deploy/prometheus/config-service.rules.yml', import.meta.url));
const RULE_TESTS = fileURLToPath(new URL('../prometheus/config-service.rules.test.yml', import.meta.url));
const RUNBOOKS = fileURLToPath(new URL('../../docs/runbooks.md', import.meta.url));
const ALERTS = 7;

describe('deploy/prometheus/config-service.rules.yml', () => {
  it(`passes promtool check rules with its ${ALERTS} alerts`, async () => {
    const result = await promtool('check', 'rules', RULES);

    expect([result.code, result.output]).toEqual([0, expect.stringContaining(`SUCCESS: ${ALERTS} rules found`)]);
  });

  it('passes its promtool unit tests: each alert fires on its condition and not before', async () => {
    const result = await promtool('test', 'rules', RULE_TESTS);

    expect([result.code, result.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  it('links every alert to a runbook section that exists', async () => {
    const [rules, runbooks] = await Promise.all([readFile(RULES, 'utf8'), readFile(RUNBOOKS, 'utf8')]);
    const alerts = [...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1] ?? '');
    const links = [...rules.matchAll(/runbook_url: services\/config-service\/docs\/runbooks\.md#([\w-]+)/g)].map((m) => m[1]);
    const anchors = markdownHeadingAnchors(runbooks);

    expect(alerts).toHaveLength(ALERTS);
    expect(links).toEqual(alerts.map((a) => a.toLowerCase()));
    expect(links.filter((l) => !anchors.has(l ?? ''))).toEqual([]);
  });

  it('documents a secret rotation procedure', async () => {
    const runbooks = await readFile(RUNBOOKS, 'utf8');

    expect(runbooks).toMatch(/^### Secret rotation procedure$/m);
  });
});
