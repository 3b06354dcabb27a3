import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, ManualClock, uuidv7Generator } from '@sms/kernel';
import { createNumberingPolicy, InMemoryLeaseCache, InMemoryOperatorKeyring } from '../../src/index.js';
import type { NumberRecord } from '../../src/index.js';
import { standaloneRunner, SYSTEM_SCOPE } from '../../src/adapters/postgres/numbering-scope.js';
import { PostgresNumberingStore } from '../../src/adapters/postgres/postgres-numbering.store.js';
import { PostgresRangeOwnership } from '../../src/adapters/postgres/postgres-range-ownership.js';
import { createNumberingUseCases } from '../../src/composition/numbering-use-cases.js';
import type { NumberingUseCases } from '../../src/composition/numbering-use-cases.js';
import { createPostgresFixture } from '../support/postgres-numbering.js';
import type { MigratedSchema, PostgresFixture } from '../support/postgres-numbering.js';
import { insertNumbers, seedCatalog, T0, tenant } from '../support/postgres-world.js';
import type { SeededCatalog } from '../support/postgres-world.js';

const TENANT = 'tenant-regions';
const KABUL = 'kabul-1';
const HERAT = 'herat-1';

// Two deployments of numbering-service, in two regions, on one replicated PostgreSQL (here: one schema on
// this machine): each fences its number changes by the range_ownership row of the number's block.
describe('multi-region range-ownership fence (PostgreSQL)', () => {
  let pg: PostgresFixture;
  let schema: MigratedSchema;
  let catalog: SeededCatalog;
  let ownership: PostgresRangeOwnership;
  const clock = new ManualClock(T0);
  const regions: Record<string, { store: PostgresNumberingStore; useCases: NumberingUseCases }> = {};
  let next = 0;

  beforeAll(async () => {
    pg = await createPostgresFixture('numbering_regions');
    schema = await pg.schema({ clock });
    for (const region of [KABUL, HERAT]) {
      const store = new PostgresNumberingStore({ db: pg.database.db, schema: schema.name, roles: pg.roles, clock, region });
      const useCases = createNumberingUseCases({
        ports: (scope) => store.scoped(scope),
        leaseCache: new InMemoryLeaseCache(clock),
        clock,
        ids: uuidv7Generator,
        policy: createNumberingPolicy(),
        keyring: new InMemoryOperatorKeyring(),
      });
      regions[region] = { store, useCases };
    }
    catalog = await seedCatalog(regions[KABUL]?.useCases as NumberingUseCases, clock, [TENANT]);
    ownership = new PostgresRangeOwnership(standaloneRunner(pg.database.db, pg.roles, SYSTEM_SCOPE), schema.name);
  });
  afterAll(async () => {
    await pg?.close();
  });

  const region = (name: string) => {
    const found = regions[name];
    if (found === undefined) throw new Error(`no region ${name}`);
    return found;
  };
  const freshNumber = async (): Promise<NumberRecord> => {
    const [number] = await insertNumbers(schema.store.scoped(SYSTEM_SCOPE), catalog, clock, [`+9370666${String((next += 1)).padStart(4, '0')}`]);
    if (number === undefined) throw new Error('arrange: no number');
    return number;
  };
  const reserveFrom = (name: string, number: string) => {
    const actor = tenant(TENANT);
    return region(name)
      .useCases.forActor(actor)
      .reserve.execute({ actor, idempotencyKey: uuidv7Generator.next(), number, tenantId: TENANT, tenantPoolId: catalog.tenantPools[TENANT] ?? '' });
  };
  const stateOf = async (number: string) => (await schema.store.scoped(SYSTEM_SCOPE).numbers.findByValue(number))?.lifecycle.state;

  it('lets the owning region change a number and refuses every other region, leaving the number as it was', async () => {
    await ownership.transfer(catalog.blockIds.msisdn, KABUL, clock.now());
    const number = await freshNumber();

    const fromHerat = await reserveFrom(HERAT, number.value);
    const stateAfterHerat = await stateOf(number.value);
    const fromKabul = await reserveFrom(KABUL, number.value);

    expect(fromHerat).toMatchObject({ ok: false, error: { code: 'NUMBERING.REGION_NOT_OWNER' } });
    expect(stateAfterHerat).toBe('available');
    expect(fromKabul).toMatchObject({ ok: true, value: { state: 'reserved' } });
  });

  it('refuses changes of a block that no region owns (fails closed)', async () => {
    const shortCode = `${5000 + (next += 1)}`;
    await insertNumbers(schema.store.scoped(SYSTEM_SCOPE), catalog, clock, [shortCode]);

    const results = [await reserveFrom(KABUL, shortCode), await reserveFrom(HERAT, shortCode)];

    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['NUMBERING.REGION_NOT_OWNER', 'NUMBERING.REGION_NOT_OWNER']);
  });

  it('moves a block to another region: the old owner is refused from then on, the new one may change it', async () => {
    const before = await ownership.transfer(catalog.blockIds.msisdn, KABUL, clock.now());
    const number = await freshNumber();

    const after = await ownership.transfer(catalog.blockIds.msisdn, HERAT, clock.now());
    const fromKabul = await reserveFrom(KABUL, number.value);
    const fromHerat = await reserveFrom(HERAT, number.value);

    expect(after).toEqual({ region: HERAT, epoch: before.epoch + 1 });
    expect(await ownership.ownerOf(catalog.blockIds.msisdn)).toEqual(after);
    expect([fromKabul.ok ? 'ok' : fromKabul.error.code, fromHerat.ok ? 'ok' : fromHerat.error.code]).toEqual(['NUMBERING.REGION_NOT_OWNER', 'ok']);
  });

  it('makes a transfer wait for a change that already passed the fence, so none commits under a stale owner', async () => {
    await ownership.transfer(catalog.blockIds.msisdn, KABUL, clock.now());
    const number = await freshNumber();
    const order: string[] = [];
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    let passedFence: () => void = () => undefined;
    const fencePassed = new Promise<void>((resolve) => {
      passedFence = resolve;
    });

    const change = region(KABUL)
      .store.scoped(SYSTEM_SCOPE)
      .unitOfWork.run(async (tx) => {
        const outcome = await tx.numbers.saveIfVersion({ ...number, version: number.version + 1, updatedAt: clock.now() }, number.version);
        passedFence();
        await gate;
        return ok(outcome);
      })
      .then((result) => {
        order.push('change committed');
        return result;
      });
    await fencePassed;
    const transfer = ownership.transfer(catalog.blockIds.msisdn, HERAT, clock.now()).then((owner) => {
      order.push('transfer committed');
      return owner;
    });
    // The transfer is now blocked on the fence lock (it cannot finish before the gate opens).
    await new Promise((resolve) => setTimeout(resolve, 200));
    openGate();

    const [changed, owner] = await Promise.all([change, transfer]);
    expect(changed).toEqual({ ok: true, value: 'saved' });
    expect(owner.region).toBe(HERAT);
    expect(order).toEqual(['change committed', 'transfer committed']);
  });

  it('refuses a region name that is not one', async () => {
    await expect(ownership.transfer(catalog.blockIds.msisdn, 'Kabul 1', clock.now())).rejects.toThrow('not a region name');
  });
});
