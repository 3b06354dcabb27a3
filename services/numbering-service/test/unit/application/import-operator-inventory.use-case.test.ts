import { beforeAll, describe, expect, it } from 'vitest';
import { ImportOperatorInventory, InMemoryOperatorKeyring, createNumberingPolicy, sha256Hex } from '../../../src/index.js';
import type { CsvRowError } from '../../../src/index.js';
import { ACME, T0, createWorld, staffActor, tenantActor } from '../../support/world.js';
import type { World } from '../../support/world.js';
import { csv, generateOperatorKey, signFile } from '../../support/operator-files.js';
import type { OperatorKeyPair } from '../../support/operator-files.js';

let roshan: OperatorKeyPair;
let stranger: OperatorKeyPair;
beforeAll(() => {
  roshan = generateOperatorKey('roshan-2026');
  stranger = generateOperatorKey('stranger');
});

const GOOD = csv(
  '93701000001,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,',
  '93701000002,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,standard',
  '4040,short_code,ROSHAN,CTR-ROSHAN-2026,BLK-SC,general,gold',
);

function importer(world: World, options: { policy?: Parameters<typeof createNumberingPolicy>[0] } = {}) {
  return new ImportOperatorInventory({
    unitOfWork: world.store.unitOfWork,
    clock: world.clock,
    ids: world.ids,
    policy: createNumberingPolicy(options.policy),
    keyring: new InMemoryOperatorKeyring({ ROSHAN: [roshan.publicKey] }),
    imports: world.store.imports,
    numbers: world.store.numbers,
    catalog: world.store.catalog,
  });
}

const commerce = staffActor('commerce');
const run = (world: World, file: Uint8Array, signature: Uint8Array | null = signFile(file, roshan.privateKey), operatorCode = 'ROSHAN') =>
  importer(world).execute({ actor: commerce, operatorCode, file, signature });
const rowErrors = (result: Awaited<ReturnType<typeof run>>): CsvRowError[] =>
  !result.ok && result.error.code === 'NUMBERING.IMPORT_REJECTED' ? (result.error.details?.errors as CsvRowError[]) : [];

describe('operator CSV import', () => {
  it('imports every row of a good signed file as available numbers', async () => {
    const world = createWorld();

    const result = await run(world, GOOD);

    expect(result).toMatchObject({
      ok: true,
      value: { status: 'imported', fileSha256: sha256Hex(GOOD), keyId: 'roshan-2026', rowCount: 3, msisdnCount: 2, shortCodeCount: 1 },
    });
    expect(world.store.allNumbers().map((n) => [n.value, n.kind, n.tier, n.lifecycle.state, n.version])).toEqual([
      ['+93701000001', 'msisdn', 'standard', 'available', 1],
      ['+93701000002', 'msisdn', 'standard', 'available', 1],
      ['4040', 'short_code', 'gold', 'available', 1],
    ]);
  });

  it('files each number under the block, contract and pool its row names', async () => {
    const world = createWorld();

    await run(world, GOOD);

    expect(world.store.numberByValue('4040')).toMatchObject({
      contractId: world.contract.id,
      blockId: world.shortCodeBlock.id,
      poolId: world.generalPool.id,
      operatorCode: 'ROSHAN',
    });
  });

  it('audits every new number and the import, and announces the import', async () => {
    const world = createWorld();

    await run(world, GOOD);

    expect(world.store.auditRows().map((r) => r.action)).toEqual(['number.import', 'number.import', 'number.import', 'inventory.import']);
    expect(world.store.outboxEvents().map((e) => [e.type, e.aggregateType])).toEqual([['numbering.import.completed.v1', 'import']]);
  });

  it('makes imported numbers reservable', async () => {
    const world = createWorld();
    await run(world, GOOD);

    const reserved = await world.reserve.execute({
      actor: tenantActor(ACME),
      idempotencyKey: 'k',
      number: '4040',
      tenantId: ACME,
      tenantPoolId: world.tenantPools.acme.id,
    });

    expect(reserved.ok).toBe(true);
  });

  it('does nothing when the same file is imported again', async () => {
    const world = createWorld();
    const first = await run(world, GOOD);

    const again = await run(world, GOOD);

    expect(again).toEqual({
      ok: true,
      value: { status: 'already_imported', importId: first.ok && first.value.status === 'imported' ? first.value.importId : '', fileSha256: sha256Hex(GOOD), importedAt: T0.toISOString() },
    });
    expect([world.store.allNumbers().length, world.store.auditRows().length, world.store.outboxEvents().length]).toEqual([3, 4, 1]);
  });

  it('imports a file only once when two imports of it race', async () => {
    const world = createWorld();

    const results = await Promise.all([run(world, GOOD), run(world, GOOD)]);

    expect(results.map((r) => r.ok && r.value.status).sort()).toEqual(['already_imported', 'imported']);
    expect(world.store.allNumbers()).toHaveLength(3);
  });

  it('refuses a file without its signature and imports nothing', async () => {
    const world = createWorld();

    const result = await run(world, GOOD, null);

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.IMPORT_SIGNATURE_MISSING' } });
    expect(world.store.allNumbers()).toHaveLength(0);
  });

  it('refuses an empty signature', async () => {
    const world = createWorld();

    expect(await run(world, GOOD, new Uint8Array())).toMatchObject({ ok: false, error: { code: 'NUMBERING.IMPORT_SIGNATURE_MISSING' } });
  });

  it('refuses a file signed with a key that is not the operator’s', async () => {
    const world = createWorld();

    const result = await run(world, GOOD, signFile(GOOD, stranger.privateKey));

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.IMPORT_SIGNATURE_INVALID' } });
    expect(world.store.allNumbers()).toHaveLength(0);
  });

  it('refuses a file altered after it was signed', async () => {
    const world = createWorld();
    const signature = signFile(GOOD, roshan.privateKey);
    const altered = csv('93701000009,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,');

    expect(await run(world, altered, signature)).toMatchObject({ ok: false, error: { code: 'NUMBERING.IMPORT_SIGNATURE_INVALID' } });
  });

  it('refuses a file from an operator with no configured key', async () => {
    const world = createWorld();

    expect(await run(world, GOOD, signFile(GOOD, roshan.privateKey), 'AWCC')).toMatchObject({
      ok: false,
      error: { code: 'NUMBERING.OPERATOR_KEY_MISSING' },
    });
  });

  it('refuses a formula-injection cell, naming its line and column, and imports nothing', async () => {
    const world = createWorld();
    const file = csv(
      '93701000001,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,',
      '93701000002,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,@SUM(A1),',
    );

    const result = await run(world, file);

    expect(rowErrors(result)).toEqual([{ line: 3, column: 'pool_ref', message: expect.stringContaining('formula') as string }]);
    expect([world.store.allNumbers().length, world.store.auditRows().length, world.store.importRecords().length]).toEqual([0, 0, 0]);
  });

  it('reports every malformed row with its line and imports none of the good ones', async () => {
    const world = createWorld();
    const file = csv(
      '93701000001,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,',
      '93701000002,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070',
      '93701000003,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,',
      '9370100,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,',
    );

    const result = await run(world, file);

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.IMPORT_REJECTED', details: { errorCount: 2 } } });
    expect(rowErrors(result).map((e) => e.line)).toEqual([3, 5]);
    expect(world.store.allNumbers()).toHaveLength(0);
  });

  it('accepts a corrected file after a rejected one', async () => {
    const world = createWorld();
    await run(world, csv('93701000001,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,x'));

    expect((await run(world, GOOD)).ok).toBe(true);
  });

  it.each([
    ['an unknown contract', '93701000001,msisdn,ROSHAN,CTR-NONE,BLK-070,general,', 'contract_ref'],
    ['an unknown block', '93701000001,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-NONE,general,', 'block_ref'],
    ['an unknown pool', '93701000001,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,nowhere,', 'pool_ref'],
    ['a number outside its block', '93711000001,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,', 'number'],
    ['a short code filed in an MSISDN block', '4040,short_code,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,', 'number'],
  ])('refuses a row with %s', async (_label, row, column) => {
    const world = createWorld();

    expect(rowErrors(await run(world, csv(row)))).toEqual([{ line: 2, column, message: expect.any(String) as string }]);
  });

  it('refuses a number that is already in the inventory', async () => {
    const world = createWorld();
    world.addNumber('+93701000001');

    expect(rowErrors(await run(world, csv('93701000001,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,')))).toEqual([
      { line: 2, column: 'number', message: 'the number is already in the inventory' },
    ]);
  });

  it('refuses a row under a contract that is no longer in force', async () => {
    const world = createWorld();
    world.store.seedContract({ ...world.contract, endsAt: new Date(T0.getTime() - 1) });

    expect(rowErrors(await run(world, csv('93701000001,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,general,')))[0]).toMatchObject({
      column: 'contract_ref',
      message: 'the contract is not in force',
    });
  });

  it('refuses a block that belongs to another contract', async () => {
    const world = createWorld();
    world.store.seedContract({ ...world.contract, id: 'other-contract', reference: 'CTR-OTHER' });

    expect(rowErrors(await run(world, csv('93701000001,msisdn,ROSHAN,CTR-OTHER,BLK-070,general,')))[0]).toMatchObject({
      column: 'block_ref',
      message: 'the block belongs to another contract',
    });
  });

  it('refuses a number of the wrong kind for its pool', async () => {
    const world = createWorld();
    world.store.seedPool({ id: 'sc-pool', reference: 'vanity', name: 'Vanity', kind: 'short_code', segments: [], createdAt: T0 });

    expect(rowErrors(await run(world, csv('93701000001,msisdn,ROSHAN,CTR-ROSHAN-2026,BLK-070,vanity,')))[0]).toMatchObject({ column: 'pool_ref' });
  });

  it('refuses a file that is not UTF-8', async () => {
    const world = createWorld();
    const file = Uint8Array.from([...csv('4040,short_code,ROSHAN,CTR-ROSHAN-2026,BLK-SC,general,'), 0xff, 0xfe]);

    expect(rowErrors(await run(world, file))).toEqual([{ line: 0, column: null, message: 'the file is not valid UTF-8' }]);
  });

  it('refuses a file larger than the limit before checking its signature', async () => {
    const world = createWorld();

    const result = await importer(world, { policy: { importLimits: { maxBytes: 10 } } }).execute({ actor: commerce, operatorCode: 'ROSHAN', file: GOOD, signature: null });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.IMPORT_TOO_LARGE' } });
  });

  it('refuses a file with more rows than the limit', async () => {
    const world = createWorld();

    const result = await importer(world, { policy: { importLimits: { maxRows: 2 } } }).execute({
      actor: commerce,
      operatorCode: 'ROSHAN',
      file: GOOD,
      signature: signFile(GOOD, roshan.privateKey),
    });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.IMPORT_TOO_LARGE', details: { maxRows: 2 } } });
  });

  it('refuses a malformed operator code', async () => {
    const world = createWorld();

    expect(await run(world, GOOD, signFile(GOOD, roshan.privateKey), 'roshan')).toMatchObject({ ok: false, error: { details: { field: 'operatorCode' } } });
  });

  it('is refused to compliance', async () => {
    const world = createWorld();

    const result = await importer(world).execute({ actor: staffActor('compliance'), operatorCode: 'ROSHAN', file: GOOD, signature: null });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.FORBIDDEN' } });
  });

  it('rolls the whole import back when a number appears from elsewhere between the checks and the insert', async () => {
    const world = createWorld();
    const numbers = new Proxy(world.store.numbers, {
      get: (target, property) =>
        property === 'findExistingValues'
          ? async (values: readonly string[]) => {
              const existing = await target.findExistingValues(values);
              world.addNumber('4040');
              return existing;
            }
          : (Reflect.get(target, property) as unknown),
    });
    const useCase = new ImportOperatorInventory({
      unitOfWork: world.store.unitOfWork,
      clock: world.clock,
      ids: world.ids,
      policy: createNumberingPolicy(),
      keyring: new InMemoryOperatorKeyring({ ROSHAN: [roshan.publicKey] }),
      imports: world.store.imports,
      numbers,
      catalog: world.store.catalog,
    });

    const result = await useCase.execute({ actor: commerce, operatorCode: 'ROSHAN', file: GOOD, signature: signFile(GOOD, roshan.privateKey) });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.CONFLICT', details: { numbers: ['4040'] } } });
    expect([world.store.allNumbers().length, world.store.importRecords().length, world.store.auditRows().length]).toEqual([1, 0, 0]);
  });
});
