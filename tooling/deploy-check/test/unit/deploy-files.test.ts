// Every YAML and JSON file under deploy/ parses (Helm templates are Go templates, not YAML: the chart's
// test checks their actions instead).
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, filesUnder, fromRoot, readJson, readYamlDocuments } from '../support/repo.js';

describe('deploy/ files', () => {
  it('parses every YAML and JSON file', async () => {
    const files = (await filesUnder(fromRoot('deploy'))).filter((f) => !f.includes('/helm/sms-service/templates/'));
    const parsed: string[] = [];
    for (const file of files) {
      if (/\.ya?ml$/.test(file)) {
        const documents = await readYamlDocuments(file);
        expect(documents.length, relative(ROOT, file)).toBeGreaterThan(0);
        parsed.push(file);
      } else if (file.endsWith('.json')) {
        await expect(readJson(file), relative(ROOT, file)).resolves.toBeTypeOf('object');
        parsed.push(file);
      }
    }
    // 8 Helm (chart, defaults, 6 services), 7 Kong, 8 Grafana, 6 Prometheus at least.
    expect(parsed.length).toBeGreaterThanOrEqual(29);
  });
});
