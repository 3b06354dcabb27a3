// `npm run legacy-import -w services/operator-management -- --file <path> [--apply] [--format csv|json] [--json]`
//
// Imports operators from the old platform's export (docs/legacy-import.md): a dry run unless
// --apply. Uses the platform's database and secret store as the service does (DATABASE_URL and
// VAULT_ADDR, or the embedded server and local encrypted store in DATA_DIR when unset), and runs
// as the database user of DATABASE_URL (the tables have no row-level security: operators are
// platform data). Events go to ops.outbox; the running service's relay publishes them.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadConfigOrExit } from '@sms/config';
import { createDatabase, migrationStatus } from '@sms/db';
import { systemClock, uuidv7Generator } from '@sms/kernel';
import { createLogger } from '@sms/logging';
import { createInfrastructure, runtimeEnv } from '@sms/runtime';
import { composeOperatorManagement } from '../composition.js';
import { OPS_SCHEMA } from '../postgres/ops-tables.js';
import { EXIT, LEGACY_IMPORT_USAGE, parseLegacyImportArgs, runLegacyImport } from './legacy-import.command.js';

const migrationsDir = fileURLToPath(new URL('../../../migrations', import.meta.url));

async function main(): Promise<number> {
  const options = parseLegacyImportArgs(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd());
  if ('usageError' in options) {
    console.error(`${options.usageError}\n${LEGACY_IMPORT_USAGE}`);
    return EXIT.usage;
  }
  const env = loadConfigOrExit(runtimeEnv, process.env, { service: 'operator-management legacy-import' });
  const logger = createLogger({ service: 'operator-management', level: 'warn', destination: process.stderr });
  const infra = await createInfrastructure({ env, logger, streams: [] });
  const database = createDatabase<unknown>({ url: infra.databaseUrl, poolMax: 2, applicationName: 'ops-legacy-import' });
  try {
    const status = await migrationStatus({ db: database.db, schema: OPS_SCHEMA, dir: migrationsDir });
    if (status.pending.length > 0) {
      console.error('the ops schema is not migrated: run `npm run migrate -- up --service operator-management` first');
      return EXIT.incomplete;
    }
    const useCases = composeOperatorManagement({
      database: { db: database.db, role: null },
      ownerDb: database.db,
      secretStore: infra.secretStore(OPS_SCHEMA),
      clock: systemClock,
      ids: uuidv7Generator,
    });
    return await runLegacyImport(
      options,
      { out: (line) => console.log(line), err: (line) => console.error(line), readFile: (path) => readFile(path, 'utf8') },
      { plan: useCases.planLegacyImport, apply: useCases.applyLegacyImport },
    );
  } finally {
    await database.close();
    await infra.close();
  }
}

process.exitCode = await main();
