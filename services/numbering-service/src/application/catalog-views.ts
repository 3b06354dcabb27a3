import type { InventoryPool, NumberBlock, OperatorContract, TenantPool, TenantSegment, VanityTier } from '../domain/catalog.js';
import type { NumberKind } from '../domain/number-value.js';

/** JSON-safe views of catalog entries, as the admin and tenant APIs return them. */
export interface OperatorContractView {
  readonly id: string;
  readonly operatorCode: string;
  readonly reference: string;
  readonly startsAt: string;
  readonly endsAt: string | null;
}

export interface NumberBlockView {
  readonly id: string;
  readonly contractId: string;
  readonly operatorCode: string;
  readonly reference: string;
  readonly kind: NumberKind;
  readonly rangeStart: string;
  readonly rangeEnd: string;
}

export interface InventoryPoolView {
  readonly id: string;
  readonly reference: string;
  readonly name: string;
  readonly kind: NumberKind | null;
  readonly segments: readonly TenantSegment[];
}

export interface TenantPoolView {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly segment: TenantSegment;
  readonly allowedTiers: readonly VanityTier[];
}

export const toContractView = (c: OperatorContract): OperatorContractView => ({
  id: c.id,
  operatorCode: c.operatorCode,
  reference: c.reference,
  startsAt: c.startsAt.toISOString(),
  endsAt: c.endsAt === null ? null : c.endsAt.toISOString(),
});

export const toBlockView = (b: NumberBlock): NumberBlockView => ({
  id: b.id,
  contractId: b.contractId,
  operatorCode: b.operatorCode,
  reference: b.reference,
  kind: b.kind,
  rangeStart: b.rangeStart,
  rangeEnd: b.rangeEnd,
});

export const toPoolView = (p: InventoryPool): InventoryPoolView => ({
  id: p.id,
  reference: p.reference,
  name: p.name,
  kind: p.kind,
  segments: p.segments,
});

export const toTenantPoolView = (p: TenantPool): TenantPoolView => ({
  id: p.id,
  tenantId: p.tenantId,
  name: p.name,
  segment: p.segment,
  allowedTiers: p.allowedTiers,
});
