import type { InventoryPool, NumberBlock, OperatorContract, TenantPool } from '../../domain/catalog.js';
import type { NumberKind } from '../../domain/number-value.js';

export type CatalogInsertOutcome = 'inserted' | 'duplicate';

/**
 * Operator contracts, number blocks, inventory pools and tenant pools. References are unique: a contract's
 * and a block's per operator, a pool's globally, a tenant pool's name per tenant; an insert that would
 * break uniqueness answers `duplicate`. Every method throws on an infrastructure fault.
 */
export interface CatalogRepository {
  findContractById(id: string): Promise<OperatorContract | null>;
  findContractByReference(operatorCode: string, reference: string): Promise<OperatorContract | null>;
  insertContract(contract: OperatorContract): Promise<CatalogInsertOutcome>;

  findBlockById(id: string): Promise<NumberBlock | null>;
  findBlockByReference(operatorCode: string, reference: string): Promise<NumberBlock | null>;
  /** Blocks of `kind` whose range shares at least one value with [rangeStart, rangeEnd]. */
  findOverlappingBlocks(kind: NumberKind, rangeStart: string, rangeEnd: string): Promise<readonly NumberBlock[]>;
  insertBlock(block: NumberBlock): Promise<CatalogInsertOutcome>;

  findPoolById(id: string): Promise<InventoryPool | null>;
  findPoolByReference(reference: string): Promise<InventoryPool | null>;
  insertPool(pool: InventoryPool): Promise<CatalogInsertOutcome>;

  findTenantPool(id: string): Promise<TenantPool | null>;
  listTenantPools(tenantId: string): Promise<readonly TenantPool[]>;
  insertTenantPool(pool: TenantPool): Promise<CatalogInsertOutcome>;
}
