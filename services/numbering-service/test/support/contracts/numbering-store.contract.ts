import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { err, ok } from '@sms/kernel';
import type { EventEnvelope } from '@sms/kernel';
import { newInventoryNumber, sealAuditRow, verifyAuditChain } from '../../../src/index.js';
import type {
  AuditEntry,
  AuditLogReader,
  CatalogRepository,
  ImportLedger,
  NumberRecord,
  NumberRepository,
  UnitOfWork,
} from '../../../src/index.js';

/** What the contract suite needs from a persistence adapter: its ports, and a way to read back the outbox. */
export interface NumberingStoreHarness {
  readonly unitOfWork: UnitOfWork;
  readonly numbers: NumberRepository;
  readonly catalog: CatalogRepository;
  readonly imports: ImportLedger;
  readonly auditReader: AuditLogReader;
  outboxEvents(): Promise<readonly EventEnvelope[]>;
  close(): Promise<void>;
}

const T = new Date('2026-05-01T10:00:00.000Z');
const later = (ms: number): Date => new Date(T.getTime() + ms);
let counter = 0;
const uuid = (): string => `00000000-0000-7000-8000-${(counter += 1).toString(16).padStart(12, '0')}`;

const number = (value: string): NumberRecord =>
  newInventoryNumber(
    uuid(),
    { kind: 'msisdn', value, operatorCode: 'ROSHAN', contractId: uuid(), blockId: uuid(), poolId: uuid(), tier: 'standard' },
    T,
  );

const reserved = (n: NumberRecord, tenantId: string, expiresAt: Date): NumberRecord => ({
  ...n,
  version: n.version + 1,
  updatedAt: later(1),
  lifecycle: { state: 'reserved', reservation: { id: uuid(), tenantId, tenantPoolId: uuid(), reservedAt: T, expiresAt } },
});

const auditEntry = (n: number): AuditEntry => ({
  id: uuid(),
  occurredAt: later(n).toISOString(),
  actor: { role: 'system', id: 'contract-suite', tenantId: null },
  action: 'number.reserve',
  aggregateType: 'number',
  aggregateId: uuid(),
  tenantId: null,
  fromState: 'available',
  toState: 'reserved',
  aggregateVersion: 2,
  idempotencyKey: null,
  details: { n },
});

const envelope = (aggregateId: string): EventEnvelope => ({
  id: uuid(),
  type: 'numbering.number.reserved.v1',
  aggregateType: 'number',
  aggregateId,
  tenantId: null,
  occurredAt: T.toISOString(),
  data: { numberId: aggregateId },
});

/** A promise with its resolver, to hold a transaction open while the test looks from outside. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

/**
 * The behaviour every implementation of the numbering persistence ports must show. Run it against the
 * in-memory store (unit tests) and against the Postgres adapters (integration tests, real server).
 */
export function describeNumberingStoreContract(name: string, makeHarness: () => Promise<NumberingStoreHarness>): void {
  describe(`${name}: numbering persistence contract`, () => {
    let h: NumberingStoreHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      await h.close();
    });

    const insert = async (...numbers: NumberRecord[]): Promise<void> => {
      await h.unitOfWork.run(async (tx) => {
        const outcome = await tx.numbers.insertNew(numbers);
        return outcome.outcome === 'inserted' ? ok() : err(outcome);
      });
    };

    it('reads back an inserted number by id and by value, instants included', async () => {
      const n = number('+93701000001');
      await insert(n);

      expect([await h.numbers.findById(n.id), await h.numbers.findByValue(n.value)]).toEqual([n, n]);
    });

    it('answers null for an unknown number', async () => {
      expect([await h.numbers.findById(uuid()), await h.numbers.findByValue('+93799999999')]).toEqual([null, null]);
    });

    it('saves a change made on the current version', async () => {
      const n = number('+93701000002');
      await insert(n);
      const next = reserved(n, 'tenant-a', later(60_000));

      const outcome = await h.numbers.saveIfVersion(next, n.version);

      expect([outcome, await h.numbers.findById(n.id)]).toEqual(['saved', next]);
    });

    it('refuses a change made on a stale version', async () => {
      const n = number('+93701000003');
      await insert(n);
      await h.numbers.saveIfVersion(reserved(n, 'tenant-a', later(60_000)), 1);

      expect(await h.numbers.saveIfVersion(reserved(n, 'tenant-b', later(60_000)), 1)).toBe('conflict');
      expect((await h.numbers.findById(n.id))?.lifecycle).toMatchObject({ reservation: { tenantId: 'tenant-a' } });
    });

    it('throws when the new version does not follow the expected one', async () => {
      const n = number('+93701000004');
      await insert(n);

      await expect(h.numbers.saveIfVersion({ ...n, version: 5 }, 1)).rejects.toThrow();
    });

    it('lets exactly one of two concurrent writers of one version win', async () => {
      const n = number('+93701000005');
      await insert(n);

      const outcomes = await Promise.all(
        ['tenant-a', 'tenant-b'].map((t) =>
          h.unitOfWork.run(async (tx) => ok(await tx.numbers.saveIfVersion(reserved(n, t, later(60_000)), 1))),
        ),
      );

      expect(outcomes.map((o) => o.ok && o.value).sort()).toEqual(['conflict', 'saved']);
    });

    it('lets a waiting writer win when the first writer rolls back', async () => {
      const n = number('+93701000006');
      await insert(n);
      const held = gate();
      const first = h.unitOfWork.run(async (tx) => {
        await tx.numbers.saveIfVersion(reserved(n, 'tenant-a', later(60_000)), 1);
        await held.wait;
        return err('changed my mind');
      });
      const second = h.unitOfWork.run(async (tx) => ok(await tx.numbers.saveIfVersion(reserved(n, 'tenant-b', later(60_000)), 1)));
      held.open();

      const [a, b] = await Promise.all([first, second]);

      expect([a.ok, b]).toEqual([false, { ok: true, value: 'saved' }]);
    });

    it('hides a transaction’s writes from others until it commits', async () => {
      const n = number('+93701000007');
      await insert(n);
      const held = gate();
      const saved = gate();
      const tx = h.unitOfWork.run(async (t) => {
        await t.numbers.saveIfVersion(reserved(n, 'tenant-a', later(60_000)), 1);
        saved.open();
        await held.wait;
        return ok();
      });
      await saved.wait;

      const during = await h.numbers.findById(n.id);
      held.open();
      await tx;
      const after = await h.numbers.findById(n.id);

      expect([during?.version, after?.version]).toEqual([1, 2]);
    });

    it('discards every write of a unit of work that returns an error', async () => {
      const n = number('+93701000008');

      await h.unitOfWork.run(async (tx) => {
        await tx.numbers.insertNew([n]);
        await tx.outbox.add([envelope(n.id)]);
        const head = await tx.audit.lockHead();
        await tx.audit.append(sealAuditRow(head, auditEntry(1)));
        return err('refused');
      });

      expect([await h.numbers.findById(n.id), (await h.outboxEvents()).length, (await h.auditReader.readAfter(0, 10)).length]).toEqual([null, 0, 0]);
    });

    it('discards every write of a unit of work that throws, and rethrows', async () => {
      const n = number('+93701000009');

      await expect(
        h.unitOfWork.run(async (tx) => {
          await tx.numbers.insertNew([n]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');

      expect(await h.numbers.findById(n.id)).toBeNull();
    });

    it('commits the number, its events and its audit row together', async () => {
      const n = number('+93701000010');

      await h.unitOfWork.run(async (tx) => {
        await tx.numbers.insertNew([n]);
        await tx.outbox.add([envelope(n.id)]);
        const head = await tx.audit.lockHead();
        await tx.audit.append(sealAuditRow(head, auditEntry(1)));
        return ok();
      });

      expect([(await h.numbers.findById(n.id))?.id, (await h.outboxEvents()).map((e) => e.aggregateId), (await h.auditReader.readAfter(0, 10)).length]).toEqual([
        n.id,
        [n.id],
        1,
      ]);
    });

    it('refuses to insert a value that exists, inserting none of the batch', async () => {
      const existing = number('+93701000011');
      await insert(existing);
      const fresh = number('+93701000012');

      const outcome = await h.unitOfWork.run(async (tx) => ok(await tx.numbers.insertNew([fresh, number('+93701000011')])));

      expect(outcome).toEqual({ ok: true, value: { outcome: 'duplicate', values: ['+93701000011'] } });
      expect(await h.numbers.findById(fresh.id)).toBeNull();
    });

    it('tells which values already exist', async () => {
      await insert(number('+93701000013'));

      expect([...(await h.numbers.findExistingValues(['+93701000013', '+93701000014']))]).toEqual(['+93701000013']);
    });

    it("lists a tenant's holdings by value, with a state filter and a cursor", async () => {
      const [a, b, c, other] = ['+93702000003', '+93702000001', '+93702000002', '+93702000004'].map(number) as [NumberRecord, NumberRecord, NumberRecord, NumberRecord];
      await insert(a, b, c, other);
      for (const n of [a, b, c]) await h.numbers.saveIfVersion(reserved(n, 'tenant-list', later(60_000)), 1);
      await h.numbers.saveIfVersion(reserved(other, 'tenant-other', later(60_000)), 1);

      const all = await h.numbers.listHeldByTenant({ tenantId: 'tenant-list', state: null, afterValue: null, limit: 10 });
      const page = await h.numbers.listHeldByTenant({ tenantId: 'tenant-list', state: 'reserved', afterValue: '+93702000001', limit: 1 });
      const leased = await h.numbers.listHeldByTenant({ tenantId: 'tenant-list', state: 'assigned', afterValue: null, limit: 10 });

      expect([all.map((n) => n.value), page.map((n) => n.value), leased]).toEqual([
        ['+93702000001', '+93702000002', '+93702000003'],
        ['+93702000002'],
        [],
      ]);
    });

    it('finds numbers whose deadline has passed, oldest first', async () => {
      const [soon, sooner, future] = ['+93703000001', '+93703000002', '+93703000003'].map(number) as [NumberRecord, NumberRecord, NumberRecord];
      await insert(soon, sooner, future);
      await h.numbers.saveIfVersion(reserved(soon, 't', later(2_000)), 1);
      await h.numbers.saveIfVersion(reserved(sooner, 't', later(1_000)), 1);
      await h.numbers.saveIfVersion(reserved(future, 't', later(10_000)), 1);

      const due = await h.numbers.findDue({ deadline: 'reservation_expiry', at: later(2_000), limit: 10 });
      const quarantines = await h.numbers.findDue({ deadline: 'quarantine_end', at: later(99_000), limit: 10 });

      expect([due.map((n) => n.value), quarantines]).toEqual([['+93703000002', '+93703000001'], []]);
    });

    it('chains audit rows appended by concurrent transactions without a fork', async () => {
      await Promise.all(
        [1, 2, 3, 4, 5].map((i) =>
          h.unitOfWork.run(async (tx) => {
            const head = await tx.audit.lockHead();
            await tx.audit.append(sealAuditRow(head, auditEntry(i)));
            return ok();
          }),
        ),
      );

      const rows = await h.auditReader.readAfter(0, 100);

      expect([rows.length, verifyAuditChain(rows).intact]).toEqual([5, true]);
    });

    it('pages through the audit chain', async () => {
      for (const i of [1, 2, 3]) {
        await h.unitOfWork.run(async (tx) => {
          await tx.audit.append(sealAuditRow(await tx.audit.lockHead(), auditEntry(i)));
          return ok();
        });
      }

      expect((await h.auditReader.readAfter(1, 1)).map((r) => r.seq)).toEqual([2]);
    });

    it('refuses an audit row that does not follow the head', async () => {
      await expect(
        h.unitOfWork.run(async (tx) => {
          await tx.audit.lockHead();
          await tx.audit.append(sealAuditRow({ seq: 41, hash: 'f'.repeat(64) }, auditEntry(1)));
          return ok();
        }),
      ).rejects.toThrow();
    });

    it('records an imported file once', async () => {
      const record = {
        id: uuid(),
        operatorCode: 'ROSHAN',
        fileSha256: 'a'.repeat(64),
        keyId: 'k',
        rowCount: 1,
        msisdnCount: 1,
        shortCodeCount: 0,
        importedAt: T,
        importedBy: 'commerce:1',
      };

      const first = await h.unitOfWork.run(async (tx) => ok(await tx.imports.record(record)));
      const second = await h.unitOfWork.run(async (tx) => ok(await tx.imports.record({ ...record, id: uuid() })));

      expect([first, second, await h.imports.findBySha256(record.fileSha256)]).toEqual([
        { ok: true, value: 'recorded' },
        { ok: true, value: 'duplicate' },
        record,
      ]);
    });

    it('keeps catalog references unique and finds overlapping blocks', async () => {
      const contract = { id: uuid(), operatorCode: 'SALAAM', reference: 'S-1', startsAt: T, endsAt: null, createdAt: T };
      const block = {
        id: uuid(),
        contractId: contract.id,
        operatorCode: 'SALAAM',
        reference: 'B-1',
        kind: 'msisdn' as const,
        rangeStart: '+93740000000',
        rangeEnd: '+93740009999',
        createdAt: T,
      };

      const outcomes = await h.unitOfWork.run(async (tx) =>
        ok([
          await tx.catalog.insertContract(contract),
          await tx.catalog.insertContract({ ...contract, id: uuid() }),
          await tx.catalog.insertBlock(block),
        ]),
      );
      const overlapping = await h.catalog.findOverlappingBlocks('msisdn', '+93740009000', '+93740010000');
      const apart = await h.catalog.findOverlappingBlocks('msisdn', '+93740010000', '+93740019999');

      expect([outcomes, overlapping.map((b) => b.reference), apart, await h.catalog.findContractByReference('SALAAM', 'S-1')]).toEqual([
        { ok: true, value: ['inserted', 'duplicate', 'inserted'] },
        ['B-1'],
        [],
        contract,
      ]);
    });
  });
}
