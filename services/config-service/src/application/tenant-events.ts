import { err, ok } from '@sms/kernel';
import type { Result } from '@sms/kernel';
import { configError } from '../domain/config-errors.js';
import type { ConfigError } from '../domain/config-errors.js';
import { isTenantId } from '../domain/config-node.js';
import { isLevelName, isSegmentName } from '../domain/node-path.js';

/** The consumer name under which tenant events are recorded in the inbox. */
export const TENANT_EVENTS_CONSUMER = 'config-service.tenant-events';
export const TENANT_EVENTS_AUTHOR = 'system:tenant-events';

export const TENANT_CREATED = 'tenant.created.v1';
export const TENANT_DELETED = 'tenant.deleted.v1';

/** `tenant.created.v1` as this service expects it (documented in docs/events.md). */
export interface TenantCreatedData {
  readonly tenantId: string;
  /** Becomes the node name: `tenant:<slug>`. */
  readonly slug: string;
  /** Where the tenant's node goes: under `/GLOBAL/<level>:<name>`; directly under GLOBAL when absent or null. */
  readonly placement: { readonly level: string; readonly name: string } | null;
}

/** `tenant.deleted.v1` as this service expects it. */
export interface TenantDeletedData {
  readonly tenantId: string;
}

/** The outcome of handling one consumed event. */
export type InboxOutcome = 'created' | 'deleted' | 'duplicate' | 'already-exists' | 'absent';

const invalid = (type: string, message: string): ConfigError =>
  configError('CONFIG.INVALID_EVENT', `${type}: ${message}`, { eventType: type });

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseTenantCreated(data: unknown): Result<TenantCreatedData, ConfigError> {
  if (!isRecord(data)) return err(invalid(TENANT_CREATED, 'data must be an object'));
  const { tenantId, slug, placement } = data;
  if (typeof tenantId !== 'string' || !isTenantId(tenantId)) return err(invalid(TENANT_CREATED, 'tenantId is missing or malformed'));
  if (typeof slug !== 'string' || !isSegmentName(slug)) return err(invalid(TENANT_CREATED, 'slug is missing or not a node name'));
  if (placement === undefined || placement === null) return ok({ tenantId, slug, placement: null });
  if (!isRecord(placement)) return err(invalid(TENANT_CREATED, 'placement must be an object or null'));
  const { level, name } = placement;
  if (typeof level !== 'string' || !isLevelName(level) || typeof name !== 'string' || !isSegmentName(name)) {
    return err(invalid(TENANT_CREATED, 'placement needs a level and a name'));
  }
  return ok({ tenantId, slug, placement: { level, name } });
}

export function parseTenantDeleted(data: unknown): Result<TenantDeletedData, ConfigError> {
  if (!isRecord(data)) return err(invalid(TENANT_DELETED, 'data must be an object'));
  const { tenantId } = data;
  if (typeof tenantId !== 'string' || !isTenantId(tenantId)) return err(invalid(TENANT_DELETED, 'tenantId is missing or malformed'));
  return ok({ tenantId });
}
