import type { ExportFileEntry, HistoryExportEntry, InventoryExportLine } from '../../domain/regulator-export.js';

/**
 * What the monthly regulator export reads (Postgres: the numbers, the catalog and the audit chain, in the
 * system scope). Both reads depend only on data that never changes once written (a number's identity and
 * the append-only audit trail), so a rerun for a past month reads the same lines. Throws on an
 * infrastructure fault.
 */
export interface RegulatorExportSource {
  /**
   * The numbers added before `asOf`, each with the state it was in at `asOf`, ordered by value (byte order),
   * after `afterValue` (keyset paging), at most `limit`.
   */
  inventoryAt(asOf: Date, afterValue: string | null, limit: number): Promise<readonly InventoryExportLine[]>;
  /** The audited changes of numbers with `from <= occurredAt < to`, in chain order, after `afterSeq`, at most `limit`. */
  historyBetween(from: Date, to: Date, afterSeq: number, limit: number): Promise<readonly HistoryExportEntry[]>;
}

export type RegulatorExportStatus = 'running' | 'completed' | 'failed';

/** One month's export as the ledger records it (one row per month). */
export interface RegulatorExportRecord {
  readonly month: string;
  readonly status: RegulatorExportStatus;
  /** Runs that started work on the month (a rerun after a failure or a crash adds one). */
  readonly attempts: number;
  readonly startedAt: Date;
  readonly lastAttemptAt: Date;
  readonly completedAt: Date | null;
  /** Who asked for the last attempt (`system:numbering-scheduler`, `compliance:alice`). */
  readonly requestedBy: string;
  /** Retention of every object of the export, fixed by the first attempt. */
  readonly retainUntil: Date;
  readonly manifestKey: string | null;
  readonly manifestSha256: string | null;
  readonly signatureKeyId: string | null;
  readonly files: readonly ExportFileEntry[];
  readonly superseded: readonly { readonly key: string; readonly sha256: string }[];
  readonly lastError: string | null;
}

/**
 * The ledger of exports, one row per month, and the month's lock. Throws on an infrastructure fault.
 */
export interface RegulatorExportLedger {
  /**
   * Runs `work` while holding the month's lock, across every replica (Postgres: a session advisory lock,
   * never waited for); answers `acquired: false` at once when another run holds it.
   */
  withMonthLock<T>(month: string, work: () => Promise<T>): Promise<{ readonly acquired: true; readonly value: T } | { readonly acquired: false }>;
  find(month: string): Promise<RegulatorExportRecord | null>;
  /** Starts an attempt: a new row (attempt 1, retention as given), or the existing one with one more attempt, back to `running`. */
  begin(input: { readonly month: string; readonly at: Date; readonly requestedBy: string; readonly retainUntil: Date }): Promise<RegulatorExportRecord>;
  complete(input: {
    readonly month: string;
    readonly at: Date;
    readonly manifestKey: string;
    readonly manifestSha256: string;
    readonly signatureKeyId: string;
    readonly files: readonly ExportFileEntry[];
    readonly superseded: readonly { readonly key: string; readonly sha256: string }[];
  }): Promise<RegulatorExportRecord>;
  fail(input: { readonly month: string; readonly at: Date; readonly error: string }): Promise<void>;
}

/**
 * The write-once store the export goes to (the object store: S3 with Object Lock in production, a local
 * folder in embedded mode). Throws on an infrastructure fault.
 */
export interface RegulatorExportArchive {
  get(key: string): Promise<Uint8Array | null>;
  /** Stores `bytes` under `key` with write-once retention until `retainUntil`; `exists` when the key already holds an object (left untouched). */
  putOnce(key: string, bytes: Uint8Array, options: { readonly contentType: string; readonly retainUntil: Date }): Promise<'written' | 'exists'>;
}

/** Signs the manifest (Vault Transit in production, a local key in embedded mode): a detached signature naming its key. */
export interface RegulatorExportSigner {
  sign(data: Uint8Array): Promise<{ readonly keyId: string; readonly algorithm: string; readonly signature: string }>;
}
