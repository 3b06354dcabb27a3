import { randomBytes } from 'node:crypto';
import { createFreshDatabase, uniqueName } from '@sms/testing';
import type { FreshDatabase } from '@sms/testing';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLocalSecretStore,
  localSecretStoreTableSql,
  SecretIntegrityError,
  SecretStoreUnavailableError,
} from '../../src/index.js';
import type { SecretStore } from '../../src/index.js';
import { describeSecretStoreContract } from '../contract/secret-store.contract.js';
import { closedPort } from '../support/closed-port.js';
import { openTestDatabase } from '../support/database.js';
import type { TestDatabase } from '../support/database.js';

const SCHEMA = 'ops';

async function prepare(label: string) {
  const database = await createFreshDatabase(label);
  const handle = openTestDatabase(database.url);
  await sql.raw(`CREATE SCHEMA ${SCHEMA};\n${localSecretStoreTableSql(SCHEMA)}`).execute(handle.db);
  return { database, handle, db: handle.db };
}

describeSecretStoreContract('local envelope encryption (PostgreSQL)', async () => {
  const { database, handle, db } = await prepare('secrets_contract');
  const masterKey = randomBytes(32).toString('base64');
  const down = openTestDatabase(`postgres://postgres@127.0.0.1:${await closedPort()}/postgres`, {
    connectionTimeoutMillis: 2_000,
  });
  return {
    storeAt: (basePath) => createLocalSecretStore({ db, schema: SCHEMA, basePath, masterKey }),
    unavailableStore: () => createLocalSecretStore({ db: down.db, schema: SCHEMA, basePath: 'ops/operators', masterKey }),
    close: async () => {
      await down.close();
      await handle.close();
      await database.drop();
    },
  };
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('local secret store at rest', () => {
  let database: FreshDatabase;
  let handle: TestDatabase;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the store accepts any service's database
  let db: Kysely<any>;
  let store: SecretStore;
  const masterKey = randomBytes(32).toString('base64');

  beforeAll(async () => {
    ({ database, handle, db } = await prepare('secrets_at_rest'));
    store = createLocalSecretStore({ db, schema: SCHEMA, basePath: 'ops/operators', masterKey });
  });

  afterAll(async () => {
    await handle.close();
    await database.drop();
  });

  it('keeps the secret value out of every column of the table', async () => {
    const secret = `smpp-password-${uniqueName('plain')}`;
    await store.put('roshan/smpp', { password: secret });

    const rows = await sql<Record<string, unknown>>`SELECT * FROM ops.secret_versions WHERE path = 'ops/operators/roshan/smpp'`.execute(db);
    const bytes = Buffer.concat(
      rows.rows.flatMap((row) => Object.values(row).map((value) => (Buffer.isBuffer(value) ? value : Buffer.from(String(value))))),
    );

    expect({ rows: rows.rows.length, hasPath: bytes.includes('ops/operators/roshan/smpp'), hasSecret: bytes.includes(secret) }).toEqual({
      rows: 1,
      hasPath: true,
      hasSecret: false,
    });
  });

  it('keeps the secret value out of the table file on disk', async () => {
    const secret = `smpp-password-${uniqueName('disk')}`;
    const path = `etisalat/${uniqueName('disk')}`;
    await store.put(path, { password: secret });
    await sql`CHECKPOINT`.execute(db);

    const file = await sql<{ bytes: Buffer }>`SELECT pg_read_binary_file(pg_relation_filepath('ops.secret_versions')) AS bytes`.execute(db);
    const bytes = file.rows[0]?.bytes ?? Buffer.alloc(0);

    // The path is stored in clear, so finding it proves the search reads the real pages.
    expect({ hasPath: bytes.includes(`ops/operators/${path}`), hasSecret: bytes.includes(secret) }).toEqual({
      hasPath: true,
      hasSecret: false,
    });
  });

  it('refuses to decrypt a row copied under another path', async () => {
    await store.put('mtn/smpp', { password: 'mtn-secret' });
    await sql`INSERT INTO ops.secret_versions (path, version, master_key_id, key_iv, wrapped_key, key_tag, data_iv, ciphertext, data_tag)
              SELECT 'ops/operators/awcc/smpp', version, master_key_id, key_iv, wrapped_key, key_tag, data_iv, ciphertext, data_tag
              FROM ops.secret_versions WHERE path = 'ops/operators/mtn/smpp'`.execute(db);

    await expect(store.get('awcc/smpp')).rejects.toBeInstanceOf(SecretIntegrityError);
  });

  it('refuses to decrypt a row copied as a newer version of the same path', async () => {
    await store.put('salaam/smpp', { password: 'old-password' });
    await store.put('salaam/smpp', { password: 'current-password' });
    await sql`INSERT INTO ops.secret_versions (path, version, master_key_id, key_iv, wrapped_key, key_tag, data_iv, ciphertext, data_tag)
              SELECT path, 3, master_key_id, key_iv, wrapped_key, key_tag, data_iv, ciphertext, data_tag
              FROM ops.secret_versions WHERE path = 'ops/operators/salaam/smpp' AND version = 1`.execute(db);

    await expect(store.get('salaam/smpp')).rejects.toBeInstanceOf(SecretIntegrityError);
  });

  it('refuses to decrypt a row whose ciphertext was altered', async () => {
    await store.put('altered/smpp', { password: 'p' });
    await sql`UPDATE ops.secret_versions SET ciphertext = set_byte(ciphertext, 0, get_byte(ciphertext, 0) # 1)
              WHERE path = 'ops/operators/altered/smpp'`.execute(db);

    await expect(store.get('altered/smpp')).rejects.toBeInstanceOf(SecretIntegrityError);
  });

  it('names the master key mismatch when read with another master key', async () => {
    await store.put('rotated/smpp', { password: 'p' });
    const other = createLocalSecretStore({ db, schema: SCHEMA, basePath: 'ops/operators', masterKey: randomBytes(32) });

    await expect(other.get('rotated/smpp')).rejects.toThrow(/written under master key [0-9a-f]{16}, but the configured key is [0-9a-f]{16}/);
  });

  it('gives concurrent writers of one path distinct versions', async () => {
    const writes = await Promise.all(Array.from({ length: 8 }, (_, i) => store.put('concurrent/smpp', { n: String(i) })));

    expect(writes.map((w) => w.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('keeps every version as its own row until the secret is deleted', async () => {
    await store.put('kept/smpp', { v: '1' });
    await store.put('kept/smpp', { v: '2' });

    const rows = await sql<{ version: number }>`SELECT version FROM ops.secret_versions WHERE path = 'ops/operators/kept/smpp' ORDER BY version`.execute(db);

    expect(rows.rows.map((r) => r.version)).toEqual([1, 2]);
  });

  it('reports a destroyed database handle as unavailable', async () => {
    const closing = openTestDatabase(database.url);
    const doomed = createLocalSecretStore({ db: closing.db, schema: SCHEMA, basePath: 'ops/operators', masterKey });
    await doomed.ping();
    await closing.close();

    const error = await failure(doomed.get('roshan/smpp'));

    expect(error).toBeInstanceOf(SecretStoreUnavailableError);
  });

  it('reports a missing table as not ready on ping', async () => {
    const unmigrated = createLocalSecretStore({ db, schema: 'public', basePath: 'ops/operators', masterKey });

    const error = await failure(unmigrated.ping());

    expect(error).toMatchObject({ name: 'SecretStoreUnavailableError', reason: 'not-ready' });
  });

  it('refuses a master key that is not 32 bytes, naming the variable and not the value', () => {
    const shortKey = randomBytes(16).toString('base64');

    const build = () => createLocalSecretStore({ db, schema: SCHEMA, basePath: 'ops/operators', masterKey: shortKey });

    expect(build).toThrow(/SECRETS_MASTER_KEY must be 32 random bytes.*decodes to 16 bytes/);
  });

  it('refuses a schema name that is not a plain identifier', () => {
    const build = () =>
      createLocalSecretStore({ db, schema: 'ops; DROP TABLE x', basePath: 'ops/operators', masterKey });

    expect(build).toThrow(/must be a lower-case SQL identifier/);
  });
});
