import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withSystem } from '@sms/db';
import { sealAuditRow } from '../../src/index.js';
import type { AuditChainVerdict } from '../../src/index.js';
import { runVerifyAuditCommand } from '../../src/adapters/cli/verify-audit.command.js';
import { auditRowOf } from '../../src/adapters/postgres/postgres-audit.log.js';
import type { NumberingTables } from '../../src/adapters/postgres/numbering-tables.js';
import { createPostgresFixture } from '../support/postgres-numbering.js';
import type { PostgresFixture } from '../support/postgres-numbering.js';
import { ADMIN, createPostgresWorld, tenant } from '../support/postgres-world.js';
import type { PostgresWorld } from '../support/postgres-world.js';

const ACME = 'tenant-acme';
const MIDDLE = 5;

/** A world whose audit chain has a dozen rows: catalog creations, then reservations and leases. */
async function auditedWorld(fixture: PostgresFixture): Promise<PostgresWorld> {
  const world = await createPostgresWorld(fixture, { tenants: [ACME] });
  const values = ['+93702220001', '+93702220002', '+93702220003'];
  await world.addNumbers(values);
  const acme = world.useCases.forActor(tenant(ACME));
  for (const number of values) {
    await acme.reserve.execute({ actor: tenant(ACME), idempotencyKey: world.key(), number, tenantId: ACME, tenantPoolId: world.tenantPools[ACME] ?? '' });
    await acme.assign.execute({ actor: tenant(ACME), idempotencyKey: world.key(), number, tenantId: ACME, uses: ['otp'] });
  }
  return world;
}

async function verify(world: PostgresWorld): Promise<AuditChainVerdict> {
  const result = await world.useCases.forActor(ADMIN).verifyAudit.execute({ actor: ADMIN, pageSize: 4 });
  if (!result.ok) throw new Error(result.error.code);
  return result.value;
}

/** Acts out someone with owner rights on the table: the append-only trigger is off for this transaction. */
async function tamper(fixture: PostgresFixture, work: (trx: Transaction<NumberingTables>) => Promise<void>): Promise<void> {
  await fixture.database.db.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await work(trx);
  });
}

describe('the hash-chained audit table on PostgreSQL', () => {
  let fixture: PostgresFixture;
  beforeAll(async () => {
    fixture = await createPostgresFixture('numbering_audit');
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('verifies an untouched chain as intact', async () => {
    const world = await auditedWorld(fixture);

    const verdict = await verify(world);

    expect(verdict).toMatchObject({ intact: true, rowCount: 12, head: { seq: 12 } });
  });

  it('names the altered row when a row in the middle is changed', async () => {
    const world = await auditedWorld(fixture);
    const table = sql.id(world.schema.name, 'audit_log');
    await tamper(fixture, async (trx) => {
      await sql`UPDATE ${table} SET actor_id = 'someone-else' WHERE seq = ${MIDDLE}`.execute(trx);
    });

    expect(await verify(world)).toMatchObject({ intact: false, firstBroken: { seq: MIDDLE, reason: 'hash_mismatch' } });
  });

  it('names the row after the gap when a row in the middle is deleted', async () => {
    const world = await auditedWorld(fixture);
    const table = sql.id(world.schema.name, 'audit_log');
    await tamper(fixture, async (trx) => {
      await sql`DELETE FROM ${table} WHERE seq = ${MIDDLE}`.execute(trx);
    });

    expect(await verify(world)).toMatchObject({ intact: false, firstBroken: { seq: MIDDLE + 1, reason: 'sequence_gap' } });
  });

  it('names the first row that no longer links when a forged row is inserted in the middle', async () => {
    const world = await auditedWorld(fixture);
    const s = world.schema.name;
    const table = sql.id(s, 'audit_log');
    await tamper(fixture, async (trx) => {
      const predecessor = await trx.withSchema(s).selectFrom('audit_log').selectAll().where('seq', '=', MIDDLE).executeTakeFirstOrThrow();
      // Make room after the predecessor, then insert a row sealed correctly on it.
      await sql`UPDATE ${table} SET seq = seq + 1000 WHERE seq > ${MIDDLE}`.execute(trx);
      await sql`UPDATE ${table} SET seq = seq - 999 WHERE seq > 1000`.execute(trx);
      const head = auditRowOf(predecessor);
      const forged = sealAuditRow(head, {
        id: '00000000-0000-7000-8000-00000000f0e1',
        occurredAt: head.occurredAt,
        actor: { role: 'admin', id: 'intruder', tenantId: null },
        action: 'number.retire',
        aggregateType: 'number',
        aggregateId: head.aggregateId,
        tenantId: null,
        fromState: 'available',
        toState: 'retired',
        aggregateVersion: 2,
        idempotencyKey: null,
        details: {},
      });
      await trx
        .withSchema(s)
        .insertInto('audit_log')
        .values({
          seq: forged.seq,
          id: forged.id,
          occurred_at: forged.occurredAt,
          actor_role: forged.actor.role,
          actor_id: forged.actor.id,
          actor_tenant_id: null,
          action: forged.action,
          aggregate_type: forged.aggregateType,
          aggregate_id: forged.aggregateId,
          aggregate_version: forged.aggregateVersion,
          tenant_id: null,
          from_state: forged.fromState,
          to_state: forged.toState,
          idempotency_key: null,
          details: '{}',
          prev_hash: forged.prevHash,
          hash: forged.hash,
        })
        .execute();
    });

    expect(await verify(world)).toMatchObject({ intact: false, firstBroken: { seq: MIDDLE + 2, reason: 'prev_hash_mismatch' } });
  });

  it('refuses to update or delete audit rows, even for the service roles', async () => {
    const world = await auditedWorld(fixture);
    const table = sql.id(world.schema.name, 'audit_log');
    const attempt = (statement: ReturnType<typeof sql>) =>
      withSystem(fixture.database.db, { role: fixture.roles.systemRole }, (trx) => statement.execute(trx)).then(
        () => 'done',
        (error: Error) => error.message,
      );

    const outcomes = [
      await attempt(sql`UPDATE ${table} SET actor_id = 'x' WHERE seq = 1`),
      await attempt(sql`DELETE FROM ${table} WHERE seq = 1`),
    ];

    expect(outcomes.map((o) => o.includes('append-only'))).toEqual([true, true]);
  });

  describe('the verify-audit command', () => {
    const run = async (world: PostgresWorld, extra: string[] = []) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runVerifyAuditCommand(['--schema', world.schema.name, '--role', fixture.roles.systemRole, '--page-size', '5', ...extra], {
        env: { DATABASE_URL: fixture.fresh.url },
        out: (line) => out.push(line),
        err: (line) => err.push(line),
      });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };

    it('exits 0 and reports the head for an intact chain', async () => {
      const world = await auditedWorld(fixture);

      const result = await run(world);

      expect([result.code, result.out]).toEqual([0, expect.stringMatching(/^audit chain of \S+ intact: 12 rows, head 12:[0-9a-f]{64}$/) as unknown]);
    });

    it('exits 1 and names the first broken row of a tampered chain', async () => {
      const world = await auditedWorld(fixture);
      await tamper(fixture, async (trx) => {
        await sql`UPDATE ${sql.id(world.schema.name, 'audit_log')} SET action = 'number.retire' WHERE seq = ${MIDDLE}`.execute(trx);
      });

      const result = await run(world, ['--json']);

      expect([result.code, JSON.parse(result.out)]).toMatchObject([1, { intact: false, firstBroken: { seq: MIDDLE, reason: 'hash_mismatch' } }]);
    });

    it('exits 1 when the chain no longer holds an anchored head', async () => {
      const world = await auditedWorld(fixture);

      const result = await run(world, ['--anchor', `3:${'a'.repeat(64)}`]);

      expect([result.code, result.out]).toEqual([1, expect.stringContaining('BROKEN at row seq=3') as unknown]);
    });

    it('exits 2 on bad usage', async () => {
      const world = await auditedWorld(fixture);

      expect((await run(world, ['--anchor', 'nonsense'])).code).toBe(2);
    });

    it('runs as a command line, with the exit status of the verdict', async () => {
      const world = await auditedWorld(fixture);
      await tamper(fixture, async (trx) => {
        await sql`DELETE FROM ${sql.id(world.schema.name, 'audit_log')} WHERE seq = ${MIDDLE}`.execute(trx);
      });
      const cli = fileURLToPath(new URL('../../src/adapters/cli/verify-audit.cli.ts', import.meta.url));

      const result = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', cli, '--schema', world.schema.name, '--role', fixture.roles.systemRole], {
          env: { ...process.env, DATABASE_URL: fixture.fresh.url },
        });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.on('error', reject);
        child.on('exit', (code) => resolve({ code, stdout }));
      });

      expect([result.code, result.stdout]).toEqual([1, expect.stringContaining(`BROKEN at row seq=${MIDDLE + 1}`) as unknown]);
    });
  });
});
