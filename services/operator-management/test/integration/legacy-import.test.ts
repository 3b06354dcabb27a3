import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpsTestDatabase, type OpsTestDatabase } from '../support/ops-database.js';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const EXPORT_CSV = `code,name,kind,mcc,mnc,country,status,prefixes,host,port,system_id,system_type,bind_mode,tls,window_size,throughput_limit,password
ROSHAN,Roshan,mno,412,20,AF,active,9379;9372,smsc1.roshan.example,2775,ROSH1,,trx,yes,50,200,Lg!pw001
ROSHAN,,,,,,,,smsc2.roshan.example,2775,ROSH2,,trx,yes,50,200,Lg!pw002
AWCC,Afghan Wireless,mno,412,01,AF,,9370;9371,smsc.awcc.example,2775,AWCC1,,tx,no,20,100,
`;

let t: OpsTestDatabase;
let dir: string;
let file: string;
const dataDir = { path: '' };

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the npm script exactly as an operator would, against the test database. */
function legacyImport(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '--silent', 'legacy-import', '-w', 'services/operator-management', '--', ...args],
      {
        cwd: REPOSITORY_ROOT,
        env: {
          ...process.env,
          DATABASE_URL: t.fresh.url,
          DATA_DIR: dataDir.path,
          SECRETS_MASTER_KEY: MASTER_KEY,
          NATS_URL: '',
          REDIS_URL: '',
          VAULT_ADDR: '',
          S3_ENDPOINT: '',
          NODE_ENV: 'development',
          LOG_LEVEL: 'warn',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const MASTER_KEY = randomBytes(32).toString('base64');

async function state(): Promise<{ operators: number; connections: number; events: number; secrets: number; versions: string }> {
  const rows = await sql<{ operators: number; connections: number; events: number; versions: string }>`
    SELECT (SELECT count(*)::int FROM ops.operators) AS operators,
           (SELECT count(*)::int FROM ops.operator_connections) AS connections,
           (SELECT count(*)::int FROM ops.outbox) AS events,
           (SELECT coalesce(string_agg(code || ':' || version, ',' ORDER BY code), '') FROM ops.operators) AS versions`.execute(t.database.db);
  const secrets = await sql<{ n: number }>`
    SELECT count(DISTINCT path)::int AS n FROM platform_secrets.secret_versions WHERE path LIKE 'ops/operators/%'`
    .execute(t.database.db)
    .catch(() => ({ rows: [{ n: 0 }] }));
  const row = rows.rows[0];
  if (!row) throw new Error('no state');
  return { ...row, secrets: secrets.rows[0]?.n ?? 0 };
}

beforeAll(async () => {
  t = await createOpsTestDatabase('ops_legacy');
  dir = await mkdtemp(join(tmpdir(), 'ops-legacy-'));
  dataDir.path = join(dir, 'data');
  file = join(dir, 'operators.csv');
  await writeFile(file, EXPORT_CSV);
});

afterAll(async () => {
  await t.cleanup();
  await rm(dir, { recursive: true, force: true });
});

describe('legacy import script', () => {
  it('prints the plan in a dry run and writes nothing', async () => {
    const run = await legacyImport('--file', file);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('DRY RUN: nothing was written');
    expect(run.stdout).toMatch(/^create\s+ROSHAN\s/m);
    expect(run.stdout).toMatch(/^create\s+AWCC\s/m);
    expect(run.stdout).toContain('summary: 2 create, 0 update, 0 unchanged, 0 invalid');
    expect(run.stdout + run.stderr).not.toContain('Lg!pw');
    expect(await state()).toMatchObject({ operators: 0, connections: 0, events: 0, secrets: 0 });
  });

  it('imports with --apply: operators, connections and events in the database, passwords in the secret store only', async () => {
    const run = await legacyImport('--file', file, '--apply');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('summary: 2 create, 0 update, 0 unchanged, 0 invalid, 0 failed');
    expect(run.stdout + run.stderr).not.toContain('Lg!pw');
    expect(await state()).toEqual({ operators: 2, connections: 3, events: 2, secrets: 2, versions: 'AWCC:1,ROSHAN:1' });
    const dump = await sql<{ dump: string }>`SELECT string_agg(row_to_json(c)::text, '') AS dump FROM ops.operator_connections c`.execute(t.database.db);
    expect(dump.rows[0]?.dump).not.toContain('Lg!pw');
  });

  it('changes nothing when applied again: every operator unchanged, no new event, no new version', async () => {
    const before = await state();
    const run = await legacyImport('--file', file, '--apply');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('summary: 0 create, 0 update, 2 unchanged, 0 invalid, 0 failed');
    expect(await state()).toEqual(before);
  });
});
