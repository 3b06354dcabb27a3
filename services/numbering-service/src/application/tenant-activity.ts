import type { Result } from '@sms/kernel';
import type { NumberingError } from '../domain/numbering-errors.js';
import type { TenantActivityKind } from '../domain/tenant-anomaly.js';

/** Where reserve and release outcomes go for the anomaly rules (a {@link TenantAnomalyMonitor}). */
export interface TenantActivitySink {
  /** Must not throw nor wait: it is called on the request path. */
  record(tenantId: string, kind: TenantActivityKind): void;
}

/** Refusals that mean the attempt lost to someone else: a compare-and-swap race, or a number already taken. */
const CONFLICTING = new Set(['NUMBERING.CONFLICT', 'NUMBERING.NUMBER_NOT_AVAILABLE']);

/** Tells the sink what a reserve or release attempt came to; other refusals (bad input, permissions) are not activity. */
export function recordActivity(
  sink: TenantActivitySink | undefined,
  tenantId: string,
  command: 'reserve' | 'release',
  result: Result<unknown, NumberingError>,
): void {
  if (sink === undefined) return;
  if (result.ok) sink.record(tenantId, command);
  else if (CONFLICTING.has(result.error.code)) sink.record(tenantId, 'conflict');
}
