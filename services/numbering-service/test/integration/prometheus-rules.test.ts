import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { markdownHeadingAnchors, promtool } from '@sms/testing';

const RULES = fileURLToPath(new URL('../../../../deploy/prometheus/numbering-service.rules.yml', import.meta.url));
const RULE_TESTS = fileURLToPath(new URL('../prometheus/numbering-service.rules.test.yml', import.meta.url));
const RUNBOOKS = fileURLToPath(new URL('../../docs/runbooks.md', import.meta.url));
const SEED_ALERTS = [
  'NumberingValidateLeaseP95High',
  'NumberingValidateLeaseP99High',
  'NumberingUnavailableRetries',
  'NumberingShortCodeScarcityCritical',
  'NumberingPoolExhaustionWarning',
  'NumberingPoolExhaustionCritical',
  'NumberingLeaseImportFailed',
  'NumberingConflictSpike',
  'NumberingQuarantineBacklog',
  'NumberingAuditChainBroken',
  'NumberingOutboxLag',
  'NumberingRegulatorExportFailed',
  'NumberingRenewalFailureSpike',
  'NumberingCrossRegionLag',
  'NumberingReservationCleanupLag',
];

describe('deploy/prometheus/numbering-service.rules.yml', () => {
  it("defines exactly the alerts of the readiness checklist, and promtool accepts them", async () => {
    const [rules, check] = await Promise.all([readFile(RULES, 'utf8'), promtool('check', 'rules', RULES)]);

    expect([...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1])).toEqual(SEED_ALERTS);
    expect([check.code, check.output]).toEqual([0, expect.stringContaining(`SUCCESS: ${SEED_ALERTS.length} rules found`) as unknown]);
  });

  it('passes its promtool unit tests: each alert fires on its condition and not before', async () => {
    const result = await promtool('test', 'rules', RULE_TESTS);

    expect([result.code, result.output]).toEqual([0, expect.stringContaining('SUCCESS') as unknown]);
  });

  it('links every alert to a runbook section that exists', async () => {
    const [rules, runbooks] = await Promise.all([readFile(RULES, 'utf8'), readFile(RUNBOOKS, 'utf8')]);
    const links = [...rules.matchAll(/runbook_url: services\/numbering-service\/docs\/runbooks\.md#([\w-]+)/g)].map((m) => m[1]);
    const anchors = markdownHeadingAnchors(runbooks);

    expect(links).toEqual(SEED_ALERTS.map((a) => a.toLowerCase()));
    expect(links.filter((l) => !anchors.has(l ?? ''))).toEqual([]);
  });
});
