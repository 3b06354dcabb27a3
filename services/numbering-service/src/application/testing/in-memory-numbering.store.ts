import type { EventEnvelope, Result } from '@sms/kernel';
import type { AuditChainHead, AuditRow } from '../../domain/audit-chain.js';
import type { InventoryPool, NumberBlock, OperatorContract, TenantPool } from '../../domain/catalog.js';
import type { NumberRecord } from '../../domain/number.js';
import type { NumberKind } from '../../domain/number-value.js';
import { digitsOf } from '../../domain/number-value.js';
import type { AuditLog, AuditLogReader } from '../ports/audit-log.port.js';
import type { CatalogInsertOutcome, CatalogRepository } from '../ports/catalog.repository.port.js';
import type { IdempotencyRecorder } from '../ports/idempotency.store.port.js';
import type { ImportLedger, ImportRecord } from '../ports/import-ledger.port.js';
import type { InsertOutcome, NumberDeadline, NumberRepository, SaveOutcome } from '../ports/number.repository.port.js';
import type { Outbox } from '../ports/outbox.port.js';
import type { NumberingTransaction, UnitOfWork } from '../ports/unit-of-work.port.js';
import { InMemoryIdempotencyStore } from './in-memory-idempotency.store.js';
import type { InMemoryIdempotencyOptions } from './in-memory-idempotency.store.js';
import { RowLocks } from './row-locks.js';

/** Points where a test can make the next call throw, to show that a failure rolls everything back. */
export type FaultPoint = 'numbers.saveIfVersion' | 'audit.append' | 'outbox.add' | 'commit';

interface Committed {
  readonly numbers: Map<string, NumberRecord>;
  readonly numberIdByValue: Map<string, string>;
  readonly contracts: Map<string, OperatorContract>;
  readonly blocks: Map<string, NumberBlock>;
  readonly pools: Map<string, InventoryPool>;
  readonly tenantPools: Map<string, TenantPool>;
  readonly imports: Map<string, ImportRecord>;
  readonly audit: AuditRow[];
  readonly outbox: EventEnvelope[];
}

const deadlineOf = (n: NumberRecord, deadline: NumberDeadline): Date | null => {
  const l = n.lifecycle;
  if (deadline === 'reservation_expiry') return l.state === 'reserved' ? l.reservation.expiresAt : null;
  if (deadline === 'lease_end') return l.state === 'assigned' ? l.lease.endsAt : null;
  return l.state === 'quarantined' ? l.quarantine.endsAt : null;
};

const overlaps = (block: NumberBlock, kind: NumberKind, start: string, end: string): boolean => {
  if (block.kind !== kind) return false;
  const [a, b, c, d] = [digitsOf(block.rangeStart), digitsOf(block.rangeEnd), digitsOf(start), digitsOf(end)];
  return a.length === c.length && a <= d && c <= b;
};

/**
 * Every persistence port of numbering-service in memory, with the semantics the Postgres adapters must
 * have: one transaction per unit of work whose writes are invisible to others until commit and vanish on
 * rollback; compare-and-swap writes that wait for a concurrent writer's row lock and then compare
 * versions; a serialised audit chain; unique keys whose second inserter waits for the first transaction
 * and then sees whether it committed. One simplification: deadlocks are not detected (Postgres would
 * abort one transaction); the use cases never lock rows in conflicting orders.
 */
export class InMemoryNumberingStore {
  private readonly committed: Committed = {
    numbers: new Map(),
    numberIdByValue: new Map(),
    contracts: new Map(),
    blocks: new Map(),
    pools: new Map(),
    tenantPools: new Map(),
    imports: new Map(),
    audit: [],
    outbox: [],
  };
  private readonly locks = new RowLocks();
  private readonly faults = new Map<FaultPoint, Error>();
  private nextTx = 1;
  readonly idempotency: InMemoryIdempotencyStore;

  constructor(options: { readonly idempotency?: InMemoryIdempotencyOptions } = {}) {
    this.idempotency = new InMemoryIdempotencyStore(options.idempotency);
  }

  /** The unit of work over this store. */
  readonly unitOfWork: UnitOfWork = {
    run: async <T, E>(work: (tx: NumberingTransaction) => Promise<Result<T, E>>): Promise<Result<T, E>> => {
      const tx = new InMemoryTransaction(this, this.nextTx++);
      try {
        const result = await work(tx);
        if (result.ok) tx.commit();
        else tx.rollback();
        return result;
      } catch (fault) {
        tx.rollback();
        throw fault;
      }
    },
  };

  /** Repositories outside any transaction: reads see committed data; each write commits on its own. */
  get numbers(): NumberRepository {
    return this.autocommit((tx) => tx.numbers);
  }
  get catalog(): CatalogRepository {
    return this.autocommit((tx) => tx.catalog);
  }
  get imports(): ImportLedger {
    return this.autocommit((tx) => tx.imports);
  }
  readonly auditReader: AuditLogReader = {
    readAfter: (afterSeq, limit) =>
      Promise.resolve(this.committed.audit.filter((row) => row.seq > afterSeq).slice(0, limit)),
  };

  private autocommit<P extends object>(pick: (tx: InMemoryTransaction) => P): P {
    return new Proxy({} as P, {
      get: (_target, property) => {
        return async (...args: unknown[]): Promise<unknown> => {
          const tx = new InMemoryTransaction(this, this.nextTx++);
          try {
            const port = pick(tx) as Record<PropertyKey, (...a: unknown[]) => Promise<unknown>>;
            const method = port[property];
            if (method === undefined) throw new TypeError(`no method ${String(property)}`);
            const value = await method.apply(port, args);
            tx.commit();
            return value;
          } catch (fault) {
            tx.rollback();
            throw fault;
          }
        };
      },
    });
  }

  /** Makes the next call at `point` throw `error` (once). */
  failNext(point: FaultPoint, error = new Error(`injected fault at ${point}`)): void {
    this.faults.set(point, error);
  }

  /** @internal used by transactions */
  takeFault(point: FaultPoint): void {
    const fault = this.faults.get(point);
    if (fault !== undefined) {
      this.faults.delete(point);
      throw fault;
    }
  }

  /** @internal */
  get state(): Committed {
    return this.committed;
  }
  /** @internal */
  get rowLocks(): RowLocks {
    return this.locks;
  }

  // Test helpers: seed and inspect committed state directly (no audit, no events).
  seedNumber(number: NumberRecord): void {
    this.committed.numbers.set(number.id, number);
    this.committed.numberIdByValue.set(number.value, number.id);
  }
  seedContract(contract: OperatorContract): void {
    this.committed.contracts.set(contract.id, contract);
  }
  seedBlock(block: NumberBlock): void {
    this.committed.blocks.set(block.id, block);
  }
  seedPool(pool: InventoryPool): void {
    this.committed.pools.set(pool.id, pool);
  }
  seedTenantPool(pool: TenantPool): void {
    this.committed.tenantPools.set(pool.id, pool);
  }
  numberByValue(value: string): NumberRecord | undefined {
    const id = this.committed.numberIdByValue.get(value);
    return id === undefined ? undefined : this.committed.numbers.get(id);
  }
  allNumbers(): readonly NumberRecord[] {
    return [...this.committed.numbers.values()];
  }
  auditRows(): readonly AuditRow[] {
    return [...this.committed.audit];
  }
  /** Replaces the audit table's rows (to act out tampering). */
  replaceAuditRows(rows: readonly AuditRow[]): void {
    this.committed.audit.splice(0, this.committed.audit.length, ...rows);
  }
  outboxEvents(): readonly EventEnvelope[] {
    return [...this.committed.outbox];
  }
  importRecords(): readonly ImportRecord[] {
    return [...this.committed.imports.values()];
  }
}

class InMemoryTransaction implements NumberingTransaction {
  private readonly numberWrites = new Map<string, NumberRecord>();
  private readonly catalogWrites: (() => void)[] = [];
  private readonly pendingContracts: OperatorContract[] = [];
  private readonly pendingBlocks: NumberBlock[] = [];
  private readonly pendingPools: InventoryPool[] = [];
  private readonly pendingTenantPools: TenantPool[] = [];
  private readonly pendingImports: ImportRecord[] = [];
  private readonly auditRows: AuditRow[] = [];
  private readonly events: EventEnvelope[] = [];
  private readonly afterCommit: (() => void)[] = [];
  private readonly ownUniqueKeys = new Set<string>();
  private auditLocked = false;
  private finished = false;

  constructor(
    private readonly store: InMemoryNumberingStore,
    private readonly id: number,
  ) {
    this.idempotency = store.idempotency.recorder((apply) => this.afterCommit.push(apply));
  }

  private active(): void {
    if (this.finished) throw new Error('transaction already ended');
  }

  private current(id: string): NumberRecord | undefined {
    return this.numberWrites.get(id) ?? this.store.state.numbers.get(id);
  }

  private visibleNumbers(): NumberRecord[] {
    const merged = new Map(this.store.state.numbers);
    for (const [id, n] of this.numberWrites) merged.set(id, n);
    return [...merged.values()];
  }

  /**
   * Takes a unique key the way a Postgres unique index does: if another open transaction inserted the same
   * key, wait for it to end, then answer whether the key is still free.
   */
  private async claimUnique(key: string, committedHas: () => boolean): Promise<boolean> {
    if (this.ownUniqueKeys.has(key)) return false;
    await this.store.rowLocks.acquire(`unique:${key}`, this.id);
    if (committedHas()) return false;
    this.ownUniqueKeys.add(key);
    return true;
  }

  readonly numbers: NumberRepository = {
    findById: (id) => Promise.resolve(this.current(id) ?? null),
    findByValue: (value) => {
      const own = [...this.numberWrites.values()].find((n) => n.value === value);
      if (own !== undefined) return Promise.resolve(own);
      const id = this.store.state.numberIdByValue.get(value);
      return Promise.resolve(id === undefined ? null : (this.store.state.numbers.get(id) ?? null));
    },
    saveIfVersion: async (number, expectedVersion): Promise<SaveOutcome> => {
      this.active();
      if (number.version !== expectedVersion + 1)
        throw new Error(`saveIfVersion: version ${number.version} does not follow expected ${expectedVersion}`);
      this.store.takeFault('numbers.saveIfVersion');
      await this.store.rowLocks.acquire(`number:${number.id}`, this.id);
      const stored = this.current(number.id);
      if (stored === undefined || stored.version !== expectedVersion) return 'conflict';
      this.numberWrites.set(number.id, number);
      return 'saved';
    },
    insertNew: async (numbers): Promise<InsertOutcome> => {
      this.active();
      const taken: string[] = [];
      // Sorted, so two transactions inserting overlapping sets wait for each other instead of deadlocking.
      for (const value of numbers.map((n) => n.value).sort()) {
        if (!(await this.claimUnique(`value:${value}`, () => this.store.state.numberIdByValue.has(value)))) taken.push(value);
      }
      if (taken.length > 0) return { outcome: 'duplicate', values: taken };
      for (const n of numbers) {
        if (n.version !== 1) throw new Error('insertNew: a new number starts at version 1');
        this.numberWrites.set(n.id, n);
      }
      return { outcome: 'inserted' };
    },
    findExistingValues: (values) => {
      const visible = new Set(this.visibleNumbers().map((n) => n.value));
      return Promise.resolve(new Set(values.filter((v) => visible.has(v))));
    },
    listHeldByTenant: ({ tenantId, state, afterValue, limit }) => {
      const held = this.visibleNumbers()
        .filter((n) => {
          const l = n.lifecycle;
          const holder = l.state === 'reserved' ? l.reservation.tenantId : l.state === 'assigned' ? l.lease.tenantId : null;
          return holder === tenantId && (state === null || l.state === state) && (afterValue === null || n.value > afterValue);
        })
        .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
      return Promise.resolve(held.slice(0, limit));
    },
    findDue: ({ deadline, at, limit }) => {
      const due = this.visibleNumbers()
        .map((n) => ({ n, d: deadlineOf(n, deadline) }))
        .filter((x): x is { n: NumberRecord; d: Date } => x.d !== null && x.d.getTime() <= at.getTime())
        .sort((a, b) => a.d.getTime() - b.d.getTime())
        .map((x) => x.n);
      return Promise.resolve(due.slice(0, limit));
    },
  };

  private async insertCatalog<T>(key: string, exists: () => boolean, pending: T[], item: T, apply: () => void): Promise<CatalogInsertOutcome> {
    this.active();
    if (!(await this.claimUnique(key, exists))) return 'duplicate';
    pending.push(item);
    this.catalogWrites.push(apply);
    return 'inserted';
  }

  readonly catalog: CatalogRepository = {
    findContractById: (id) =>
      Promise.resolve(this.store.state.contracts.get(id) ?? this.pendingContracts.find((c) => c.id === id) ?? null),
    findContractByReference: (operatorCode, reference) =>
      Promise.resolve(
        [...this.store.state.contracts.values(), ...this.pendingContracts].find(
          (c) => c.operatorCode === operatorCode && c.reference === reference,
        ) ?? null,
      ),
    insertContract: (c) =>
      this.insertCatalog(
        `contract:${c.operatorCode}:${c.reference}`,
        () => [...this.store.state.contracts.values()].some((x) => x.operatorCode === c.operatorCode && x.reference === c.reference),
        this.pendingContracts,
        c,
        () => this.store.state.contracts.set(c.id, c),
      ),
    findBlockById: (id) => Promise.resolve(this.store.state.blocks.get(id) ?? this.pendingBlocks.find((b) => b.id === id) ?? null),
    findBlockByReference: (operatorCode, reference) =>
      Promise.resolve(
        [...this.store.state.blocks.values(), ...this.pendingBlocks].find(
          (b) => b.operatorCode === operatorCode && b.reference === reference,
        ) ?? null,
      ),
    findOverlappingBlocks: (kind, start, end) =>
      Promise.resolve([...this.store.state.blocks.values(), ...this.pendingBlocks].filter((b) => overlaps(b, kind, start, end))),
    insertBlock: (b) =>
      this.insertCatalog(
        `block:${b.operatorCode}:${b.reference}`,
        () => [...this.store.state.blocks.values()].some((x) => x.operatorCode === b.operatorCode && x.reference === b.reference),
        this.pendingBlocks,
        b,
        () => this.store.state.blocks.set(b.id, b),
      ),
    findPoolById: (id) => Promise.resolve(this.store.state.pools.get(id) ?? this.pendingPools.find((p) => p.id === id) ?? null),
    findPoolByReference: (reference) =>
      Promise.resolve([...this.store.state.pools.values(), ...this.pendingPools].find((p) => p.reference === reference) ?? null),
    insertPool: (p) =>
      this.insertCatalog(
        `pool:${p.reference}`,
        () => [...this.store.state.pools.values()].some((x) => x.reference === p.reference),
        this.pendingPools,
        p,
        () => this.store.state.pools.set(p.id, p),
      ),
    findTenantPool: (id) =>
      Promise.resolve(this.store.state.tenantPools.get(id) ?? this.pendingTenantPools.find((p) => p.id === id) ?? null),
    listTenantPools: (tenantId) =>
      Promise.resolve(
        [...this.store.state.tenantPools.values(), ...this.pendingTenantPools]
          .filter((p) => p.tenantId === tenantId)
          .sort((a, b) => (a.name < b.name ? -1 : 1)),
      ),
    insertTenantPool: (p) =>
      this.insertCatalog(
        `tenant-pool:${p.tenantId}:${p.name}`,
        () => [...this.store.state.tenantPools.values()].some((x) => x.tenantId === p.tenantId && x.name === p.name),
        this.pendingTenantPools,
        p,
        () => this.store.state.tenantPools.set(p.id, p),
      ),
  };

  readonly imports: ImportLedger = {
    findBySha256: (sha) =>
      Promise.resolve(this.store.state.imports.get(sha) ?? this.pendingImports.find((r) => r.fileSha256 === sha) ?? null),
    record: async (entry) => {
      this.active();
      if (!(await this.claimUnique(`import:${entry.fileSha256}`, () => this.store.state.imports.has(entry.fileSha256)))) return 'duplicate';
      this.pendingImports.push(entry);
      return 'recorded';
    },
  };

  private head(): AuditChainHead | null {
    const last = this.auditRows[this.auditRows.length - 1] ?? this.store.state.audit[this.store.state.audit.length - 1];
    return last === undefined ? null : { seq: last.seq, hash: last.hash };
  }

  readonly audit: AuditLog = {
    lockHead: async () => {
      this.active();
      await this.store.rowLocks.acquire('audit-chain', this.id);
      this.auditLocked = true;
      return this.head();
    },
    append: (row) => {
      this.active();
      if (!this.auditLocked) throw new Error('audit.append without lockHead');
      this.store.takeFault('audit.append');
      const head = this.head();
      if (row.seq !== (head?.seq ?? 0) + 1 || (head !== null && row.prevHash !== head.hash))
        throw new Error(`audit row ${row.seq} does not follow the chain head`);
      this.auditRows.push(row);
      return Promise.resolve();
    },
  };

  readonly outbox: Outbox = {
    add: (events) => {
      this.active();
      this.store.takeFault('outbox.add');
      this.events.push(...events);
      return Promise.resolve();
    },
  };

  readonly idempotency: IdempotencyRecorder;

  commit(): void {
    this.active();
    try {
      this.store.takeFault('commit');
    } catch (fault) {
      this.rollback();
      throw fault;
    }
    const state = this.store.state;
    for (const [id, n] of this.numberWrites) {
      state.numbers.set(id, n);
      state.numberIdByValue.set(n.value, id);
    }
    for (const apply of this.catalogWrites) apply();
    for (const r of this.pendingImports) state.imports.set(r.fileSha256, r);
    state.audit.push(...this.auditRows);
    state.outbox.push(...this.events);
    for (const apply of this.afterCommit) apply();
    this.end();
  }

  rollback(): void {
    if (this.finished) return;
    this.end();
  }

  private end(): void {
    this.finished = true;
    this.store.rowLocks.releaseAll(this.id);
  }
}

