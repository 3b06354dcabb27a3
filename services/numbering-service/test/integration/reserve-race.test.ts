import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createNumberingPolicy, ReserveNumber } from '../../src/index.js';
import type { NumberRepository, UnitOfWork } from '../../src/index.js';
import { tenantScope } from '../../src/adapters/postgres/numbering-scope.js';
import { createPostgresFixture } from '../support/postgres-numbering.js';
import type { PostgresFixture } from '../support/postgres-numbering.js';
import { createPostgresWorld, tenant } from '../support/postgres-world.js';
import type { PostgresWorld } from '../support/postgres-world.js';

const CALLS = 100;
/** Transactions held at the read barrier: enough to force real compare-and-swap losers, few enough for the pool. */
const HELD = 10;

/** The first `count` callers wait here until all of them have read; later callers pass straight through. */
function readBarrier(count: number): () => Promise<void> {
  let arrived = 0;
  let openAll = (): void => undefined;
  const allRead = new Promise<void>((resolve) => {
    openAll = resolve;
  });
  return async () => {
    if (arrived >= count) return;
    arrived += 1;
    if (arrived === count) openAll();
    await allRead;
  };
}

/** The unit of work with a pause after the number is read, so the held transactions all read version 1. */
function pausingAfterRead(inner: UnitOfWork, pause: () => Promise<void>): UnitOfWork {
  return {
    run: (work) =>
      inner.run((tx) => {
        const numbers: NumberRepository = {
          findById: (id) => tx.numbers.findById(id),
          findByValue: async (value) => {
            const found = await tx.numbers.findByValue(value);
            await pause();
            return found;
          },
          saveIfVersion: (n, v) => tx.numbers.saveIfVersion(n, v),
          insertNew: (n) => tx.numbers.insertNew(n),
          findExistingValues: (v) => tx.numbers.findExistingValues(v),
          listHeldByTenant: (q) => tx.numbers.listHeldByTenant(q),
          findDue: (q) => tx.numbers.findDue(q),
        };
        return work({ ...tx, numbers, catalog: tx.catalog, imports: tx.imports, audit: tx.audit, outbox: tx.outbox, idempotency: tx.idempotency });
      }),
  };
}

describe('100 concurrent reservations of one number on PostgreSQL', () => {
  let fixture: PostgresFixture;
  let world: PostgresWorld;
  const tenants = Array.from({ length: CALLS }, (_, i) => `tenant-race-${i}`);
  let outcomes: { ok: boolean; code: string | null }[];
  let numberId: string;

  beforeAll(async () => {
    fixture = await createPostgresFixture('numbering_race');
    world = await createPostgresWorld(fixture, { tenants });
    const [number] = await world.addNumbers(['+93701110000']);
    numberId = number?.id ?? '';
    const pause = readBarrier(HELD);
    // Every caller is a different tenant in its own tenant scope (row-level security on), each with its own key.
    const results = await Promise.all(
      tenants.map((tenantId) => {
        const ports = world.schema.store.scoped(tenantScope(tenantId));
        const reserve = new ReserveNumber({
          unitOfWork: pausingAfterRead(ports.unitOfWork, pause),
          idempotency: ports.idempotency,
          clock: world.clock,
          ids: world.ids,
          policy: createNumberingPolicy(),
          leaseCache: world.leaseCache,
        });
        return reserve.execute({
          actor: tenant(tenantId),
          idempotencyKey: `race-${tenantId}`,
          number: '+93701110000',
          tenantId,
          tenantPoolId: world.tenantPools[tenantId] ?? '',
        });
      }),
    );
    outcomes = results.map((r) => ({ ok: r.ok, code: r.ok ? null : r.error.code }));
  }, 120_000);
  afterAll(async () => {
    await fixture.close();
  });

  it('lets exactly one reservation succeed', () => {
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
  });

  it('refuses the 99 others as lost races or as no longer available, never anything else', () => {
    const refusals = outcomes.filter((o) => !o.ok).map((o) => o.code);

    expect([refusals.length, refusals.every((c) => c === 'NUMBERING.CONFLICT' || c === 'NUMBERING.NUMBER_NOT_AVAILABLE')]).toEqual([99, true]);
  });

  it('answers CONFLICT to every caller that read the number before the winner committed', () => {
    expect(outcomes.filter((o) => o.code === 'NUMBERING.CONFLICT').length).toBeGreaterThanOrEqual(HELD - 1);
  });

  it('stores one reservation row, one audit row and one reserved event for the number', async () => {
    const db = fixture.database.db;
    const s = world.schema.name;
    const count = async (query: ReturnType<typeof sql<{ n: number }>>): Promise<number> => (await query.execute(db)).rows[0]?.n ?? -1;

    const counts = [
      await count(sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.id(s, 'reservations')} WHERE number_id = ${numberId}`),
      await count(sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.id(s, 'audit_log')} WHERE aggregate_id = ${numberId}`),
      await count(
        sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.id(s, 'outbox')} WHERE aggregate_id = ${numberId} AND event_type = 'numbering.number.reserved.v1'`,
      ),
      await count(sql<{ n: number }>`SELECT version AS n FROM ${sql.id(s, 'numbers')} WHERE id = ${numberId}`),
    ];

    expect(counts).toEqual([1, 1, 1, 2]);
  });
});
