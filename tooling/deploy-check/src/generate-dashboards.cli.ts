// Writes deploy/grafana/<file>.json from src/dashboards.ts (`npm run dashboards:generate -w @sms/deploy-check`).
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DASHBOARDS } from './dashboards.js';
import { dashboardJson } from './grafana-model.js';

const outDir = resolve(import.meta.dirname, '../../../deploy/grafana');
for (const { spec } of DASHBOARDS) {
  const file = resolve(outDir, `${spec.file}.json`);
  await writeFile(file, `${JSON.stringify(dashboardJson(spec), null, 2)}\n`);
  process.stdout.write(`wrote ${file}\n`);
}
