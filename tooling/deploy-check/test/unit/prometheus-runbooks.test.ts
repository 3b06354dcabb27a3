// Every alert in deploy/prometheus links a runbook section that exists.
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fromRoot, isRecord, readText, readYaml } from '../support/repo.js';
import { markdownHeadingAnchors } from '@sms/testing';

describe('Prometheus alert runbooks', () => {
  it('links every alert to a runbook heading that exists', async () => {
    const dir = fromRoot('deploy/prometheus');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.rules.yml'));
    expect(files.length).toBeGreaterThanOrEqual(6);
    let alerts = 0;
    for (const file of files) {
      const rules = await readYaml(`${dir}/${file}`);
      const groups = isRecord(rules) && Array.isArray(rules.groups) ? rules.groups : [];
      for (const group of groups as unknown[]) {
        for (const rule of (isRecord(group) && Array.isArray(group.rules) ? group.rules : []) as unknown[]) {
          if (!isRecord(rule) || rule.alert === undefined) continue;
          alerts += 1;
          const where = `${file}: ${typeof rule.alert === 'string' ? rule.alert : JSON.stringify(rule.alert)}`;
          const url = isRecord(rule.annotations) ? rule.annotations.runbook_url : undefined;
          expect(typeof url, `${where} has no runbook_url`).toBe('string');
          const [path = '', anchor] = String(url).split('#');
          expect(anchor, `${where}: runbook_url has no #anchor`).toBeTruthy();
          const markdown = await readText(fromRoot(path)).catch(() => null);
          expect(markdown, `${where}: ${path} does not exist`).not.toBeNull();
          expect(markdownHeadingAnchors(markdown ?? '').has(anchor ?? ''), `${where}: no heading with anchor #${anchor} in ${path}`).toBe(true);
        }
      }
    }
    expect(alerts).toBeGreaterThanOrEqual(40);
  });

  it('computes anchors the way GitHub does', () => {
    const anchors = markdownHeadingAnchors('# Title\n## OrchHigh5xx\n## Rollback of a release\n## Rollback of a release\n```\n## not a heading\n```\n### `code` & more!');
    expect([...anchors]).toEqual(['title', 'orchhigh5xx', 'rollback-of-a-release', 'rollback-of-a-release-1', 'code--more']);
  });
});
