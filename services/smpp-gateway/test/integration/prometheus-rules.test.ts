import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { markdownHeadingAnchors, promtool } from '@sms/testing';

const RULES = fileURLToPath(new URL('../../../../deploy/prometheus/smpp-gateway.rules.yml', import.meta.url));
const RULE_TESTS = fileURLToPath(new URL('../prometheus/smpp-gateway.rules.test.yml', import.meta.url));
const RUNBOOKS = fileURLToPath(new URL('../../docs/runbooks.md', import.meta.url));
const ALERTS = ['SmppBindDown', 'SmppThrottlingHigh', 'SmppOutboundDeferred', 'SmppReceiptsUnmatched'];

describe('deploy/prometheus/smpp-gateway.rules.yml', () => {
  it('passes promtool check rules with its four alerts', async () => {
    const [rules, result] = await Promise.all([readFile(RULES, 'utf8'), promtool('check', 'rules', RULES)]);

    expect([...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1])).toEqual(ALERTS);
    expect(result.output).toContain(`SUCCESS: ${ALERTS.length} rules found`);
    expect(result.code).toBe(0);
  });

  it('passes its promtool unit tests: each alert fires on its condition and not before', async () => {
    const result = await promtool('test', 'rules', RULE_TESTS);

    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('links every alert to a runbook section that exists', async () => {
    const [rules, runbooks] = await Promise.all([readFile(RULES, 'utf8'), readFile(RUNBOOKS, 'utf8')]);
    const links = [...rules.matchAll(/runbook_url: services\/smpp-gateway\/docs\/runbooks\.md#([\w-]+)/g)].map((m) => m[1] ?? '');
    const anchors = markdownHeadingAnchors(runbooks);

    expect(links).toEqual(ALERTS.map((a) => a.toLowerCase()));
    expect(links.filter((link) => !anchors.has(link))).toEqual([]);
  });
});
