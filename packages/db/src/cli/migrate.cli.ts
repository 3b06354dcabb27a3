// `npm run migrate -- up|down|status [--service <name>] [--steps N] [--root <dir>]`
//
// Migrates every service that has `services/<name>/migrations/schema.txt` (or the one named by
// --service, by folder or schema name) in the database of DATABASE_URL; without DATABASE_URL,
// in the embedded server of `<root>/.data/postgres`, started if it is not running.
// --root defaults to this repository.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDatabase } from '../database.js';
import { openEmbeddedDatabase } from '../embedded/embedded-database.js';
import { migrate, migrationStatus } from '../migrations/migrate.js';
import { MigrationError } from '../migrations/migration.error.js';
import { discoverServiceMigrations } from '../migrations/service-migrations.js';
import { ensureAppRole } from '../tenancy/app-role.js';

const USAGE = 'usage: npm run migrate -- up|down|status [--service <name>] [--steps N] [--root <dir>]';

const defaultRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      service: { type: 'string' },
      steps: { type: 'string' },
      root: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || positionals.length !== 1 || (command !== 'up' && command !== 'down' && command !== 'status')) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const steps = values.steps === undefined ? undefined : Number(values.steps);
  if (steps !== undefined && (!Number.isInteger(steps) || steps < 1)) {
    console.error(`--steps must be a positive integer\n${USAGE}`);
    return 2;
  }

  const repositoryRoot = resolve(values.root ?? defaultRoot);
  let services = await discoverServiceMigrations(repositoryRoot);
  if (values.service !== undefined) {
    services = services.filter((s) => s.service === values.service || s.schema === values.service);
    if (services.length === 0) {
      console.error(`no service ${values.service} with services/<name>/migrations/schema.txt under ${repositoryRoot}`);
      return 2;
    }
  }
  if (services.length === 0) {
    console.log('no services/*/migrations folders: nothing to migrate');
    return 0;
  }

  const embedded = process.env.DATABASE_URL ? undefined : await openEmbeddedDatabase({ dataDir: resolve(repositoryRoot, '.data/postgres') });
  const url = process.env.DATABASE_URL ?? embedded?.url ?? '';
  if (embedded) console.log(`DATABASE_URL is not set: using the embedded server (${embedded.startedHere ? 'started' : 'already running'})`);
  const database = createDatabase({ url, poolMax: 2, applicationName: 'sms-migrate' });
  try {
    for (const service of services) {
      if (command === 'status') {
        const status = await migrationStatus({ db: database.db, schema: service.schema, dir: service.dir });
        console.log(`${service.service} (${service.schema}): ${status.applied.length} applied, ${status.pending.length} pending`);
        for (const m of status.pending) console.log(`  pending ${tag(m)}`);
        continue;
      }
      const roles = { app_role: service.appRole, system_role: service.systemRole };
      if (command === 'up') {
        // The roles exist before the migrations that grant or write policies for them.
        await ensureAppRole({ db: database.db, role: service.appRole, schemas: [] });
        await ensureAppRole({ db: database.db, role: service.systemRole, schemas: [] });
      }
      const result = await migrate({ db: database.db, schema: service.schema, dir: service.dir, direction: command, roles, ...(steps ? { steps } : {}) });
      if (command === 'up') {
        await ensureAppRole({ db: database.db, role: service.appRole, schemas: [service.schema] });
        await ensureAppRole({ db: database.db, role: service.systemRole, schemas: [service.schema] });
      }
      const verb = command === 'up' ? 'applied' : 'reverted';
      console.log(`${service.service} (${service.schema}): ${result.migrations.length === 0 ? `nothing ${verb}` : `${verb} ${result.migrations.map(tag).join(', ')}`}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof MigrationError) {
      console.error(`migrate: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
    await embedded?.stop();
  }
}

const tag = (m: { version: number; name: string }): string => `${String(m.version).padStart(4, '0')}_${m.name}`;

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
