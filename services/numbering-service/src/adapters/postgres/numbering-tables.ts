import type { ColumnType } from 'kysely';

/** Rows as `pg` returns them: timestamptz as Date, jsonb parsed, text[] as string[]. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface OperatorContractsTable {
  id: string;
  operator_code: string;
  reference: string;
  starts_at: Timestamp;
  ends_at: Timestamp | null;
  created_at: Timestamp;
}

export interface NumberBlocksTable {
  id: string;
  contract_id: string;
  operator_code: string;
  reference: string;
  kind: string;
  range_start: string;
  range_end: string;
  created_at: Timestamp;
}

export interface InventoryPoolsTable {
  id: string;
  reference: string;
  name: string;
  kind: string | null;
  segments: string[];
  created_at: Timestamp;
}

export interface TenantPoolsTable {
  id: string;
  tenant_id: string;
  name: string;
  segment: string;
  allowed_tiers: string[];
  created_at: Timestamp;
}

export interface NumbersTable {
  id: string;
  kind: string;
  value: string;
  operator_code: string;
  contract_id: string;
  block_id: string;
  pool_id: string;
  tier: string;
  state: string;
  holder_tenant_id: string | null;
  lifecycle: Json<unknown>;
  deadline_at: Timestamp | null;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReservationsTable {
  id: string;
  number_id: string;
  tenant_id: string;
  tenant_pool_id: string;
  reserved_at: Timestamp;
  expires_at: Timestamp;
  status: string;
  ended_at: Timestamp | null;
}

export interface LeasesTable {
  id: string;
  number_id: string;
  reservation_id: string;
  tenant_id: string;
  tenant_pool_id: string;
  uses: string[];
  starts_at: Timestamp;
  ends_at: Timestamp;
  auto_renew: boolean;
  status: string;
  ended_at: Timestamp | null;
}

export interface ImportLedgerTable {
  id: string;
  operator_code: string;
  file_sha256: string;
  key_id: string;
  row_count: number;
  msisdn_count: number;
  short_code_count: number;
  imported_at: Timestamp;
  imported_by: string;
}

export interface AuditLogTable {
  seq: number;
  id: string;
  occurred_at: string;
  actor_role: string;
  actor_id: string;
  actor_tenant_id: string | null;
  action: string;
  aggregate_type: string;
  aggregate_id: string;
  aggregate_version: number | null;
  tenant_id: string | null;
  from_state: string | null;
  to_state: string | null;
  idempotency_key: string | null;
  details: Json<unknown>;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  fingerprint: string;
  claimed_at: Timestamp;
  expires_at: Timestamp;
  outcome: Json<unknown> | null;
}

/** The numbering schema's tables, as Kysely sees them (queries go through `withSchema(schema)`). */
/** Which region may change the numbers of a block (migration 0006, docs/adr/0004). */
export interface RangeOwnershipTable {
  block_id: string;
  region: string;
  /** bigint: `pg` returns it as a string. */
  epoch: ColumnType<string, number, number>;
  updated_at: Timestamp;
}

export interface NumberingTables {
  operator_contracts: OperatorContractsTable;
  number_blocks: NumberBlocksTable;
  inventory_pools: InventoryPoolsTable;
  tenant_pools: TenantPoolsTable;
  numbers: NumbersTable;
  reservations: ReservationsTable;
  leases: LeasesTable;
  import_ledger: ImportLedgerTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  idempotency_keys: IdempotencyKeysTable;
  range_ownership: RangeOwnershipTable;
}
