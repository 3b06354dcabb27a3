import type { AuditChainHead, AuditRow } from '../../domain/audit-chain.js';

/**
 * The hash-chained audit table, written inside a unit of work. There is one chain, so appends are
 * serialised: `lockHead` takes the chain lock (Postgres: a row lock on a one-row head table, or an
 * advisory transaction lock) until the transaction ends. Throws on an infrastructure fault.
 */
export interface AuditLog {
  /** Locks the chain until commit or rollback and returns its last row's position and hash (null when empty). */
  lockHead(): Promise<AuditChainHead | null>;
  /** Appends a row sealed on the locked head; a row that does not follow the head is a programmer error and throws. */
  append(row: AuditRow): Promise<void>;
}

/** Reads the audit chain for verification and the audit API. Throws on an infrastructure fault. */
export interface AuditLogReader {
  /** Rows with `seq > afterSeq`, in `seq` order, at most `limit`. */
  readAfter(afterSeq: number, limit: number): Promise<readonly AuditRow[]>;
}
