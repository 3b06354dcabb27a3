import type { AuditActor, AuditEntry, AuditRow } from '../domain/audit-chain.js';
import { sealAuditRow } from '../domain/audit-chain.js';
import type { Actor } from '../domain/permissions.js';
import type { AuditLog } from './ports/audit-log.port.js';

export const auditActorOf = (actor: Actor): AuditActor => ({ role: actor.role, id: actor.id, tenantId: actor.tenantId ?? null });

/** Appends entries to the hash chain inside the current transaction, in order. */
export async function appendAuditEntries(audit: AuditLog, entries: readonly AuditEntry[]): Promise<readonly AuditRow[]> {
  if (entries.length === 0) return [];
  let head = await audit.lockHead();
  const rows: AuditRow[] = [];
  for (const entry of entries) {
    const row = sealAuditRow(head, entry);
    await audit.append(row);
    rows.push(row);
    head = { seq: row.seq, hash: row.hash };
  }
  return rows;
}
