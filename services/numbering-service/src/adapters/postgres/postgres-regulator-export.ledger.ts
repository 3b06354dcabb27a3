import { sql } from 'kysely';
import { tryWithAdvisoryLock } from '@sms/db';
import type { ExportFileEntry, RegulatorExportLedger, RegulatorExportRecord, RegulatorExportStatus } from '../../index.js';
import type { NumberingDb, Runner } from './numbering-scope.js';

interface LedgerRow {
  month: string;
  status: string;
  attempts: number;
  started_at: Date;
  last_attempt_at: Date;
  completed_at: Date | null;
  requested_by: string;
  retain_until: Date;
  manifest_key: string | null;
  manifest_sha256: string | null;
  signature_key_id: string | null;
  files: unknown;
  superseded: unknown;
  last_error: string | null;
}

const MAX_ERROR_LENGTH = 2000;

const recordOf = (row: LedgerRow): RegulatorExportRecord => ({
  month: row.month,
  status: row.status as RegulatorExportStatus,
  attempts: row.attempts,
  startedAt: row.started_at,
  lastAttemptAt: row.last_attempt_at,
  completedAt: row.completed_at,
  requestedBy: row.requested_by,
  retainUntil: row.retain_until,
  manifestKey: row.manifest_key,
  manifestSha256: row.manifest_sha256,
  signatureKeyId: row.signature_key_id,
  files: Array.isArray(row.files) ? (row.files as ExportFileEntry[]) : [],
  superseded: Array.isArray(row.superseded) ? (row.superseded as { key: string; sha256: string }[]) : [],
  lastError: row.last_error,
});

/**
 * The export ledger in `<schema>.regulator_exports`, in the system scope, and the month lock: a session
 * advisory lock named `<schema>:regulator-export:<month>` (tryWithAdvisoryLock), so two replicas (or a
 * scheduled run and a request) never export one month at once, and a process that dies mid-run frees it.
 */
export class PostgresRegulatorExportLedger implements RegulatorExportLedger {
  constructor(
    private readonly options: {
      /** The service's pool (the lock holds one connection of it for the run). */
      readonly db: NumberingDb;
      readonly run: Runner;
      readonly schema: string;
    },
  ) {}

  async withMonthLock<T>(month: string, work: () => Promise<T>): Promise<{ readonly acquired: true; readonly value: T } | { readonly acquired: false }> {
    const outcome = await tryWithAdvisoryLock(this.options.db, `${this.options.schema}:regulator-export:${month}`, work);
    return outcome.status === 'ran' ? { acquired: true, value: outcome.value } : { acquired: false };
  }

  find(month: string): Promise<RegulatorExportRecord | null> {
    return this.options.run(async (db) => {
      const rows = await sql<LedgerRow>`SELECT * FROM ${this.table()} WHERE month = ${month}`.execute(db);
      const row = rows.rows[0];
      return row === undefined ? null : recordOf(row);
    });
  }

  begin(input: { readonly month: string; readonly at: Date; readonly requestedBy: string; readonly retainUntil: Date }): Promise<RegulatorExportRecord> {
    return this.options.run(async (db) => {
      const rows = await sql<LedgerRow>`
        INSERT INTO ${this.table()} (month, status, attempts, started_at, last_attempt_at, requested_by, retain_until)
        VALUES (${input.month}, 'running', 1, ${input.at}, ${input.at}, ${input.requestedBy}, ${input.retainUntil})
        ON CONFLICT (month) DO UPDATE
           SET status = 'running', attempts = ${this.table()}.attempts + 1, last_attempt_at = EXCLUDED.last_attempt_at,
               requested_by = EXCLUDED.requested_by, last_error = NULL
        RETURNING *`.execute(db);
      const row = rows.rows[0];
      if (row === undefined) throw new Error(`regulator export ledger: no row returned for ${input.month}`);
      return recordOf(row);
    });
  }

  complete(input: {
    readonly month: string;
    readonly at: Date;
    readonly manifestKey: string;
    readonly manifestSha256: string;
    readonly signatureKeyId: string;
    readonly files: readonly ExportFileEntry[];
    readonly superseded: readonly { readonly key: string; readonly sha256: string }[];
  }): Promise<RegulatorExportRecord> {
    return this.options.run(async (db) => {
      const rows = await sql<LedgerRow>`
        UPDATE ${this.table()}
           SET status = 'completed', completed_at = ${input.at}, manifest_key = ${input.manifestKey}, manifest_sha256 = ${input.manifestSha256},
               signature_key_id = ${input.signatureKeyId}, files = ${JSON.stringify(input.files)}::jsonb,
               superseded = ${JSON.stringify(input.superseded)}::jsonb, last_error = NULL
         WHERE month = ${input.month}
        RETURNING *`.execute(db);
      const row = rows.rows[0];
      if (row === undefined) throw new Error(`regulator export ledger: no row for ${input.month} to complete`);
      return recordOf(row);
    });
  }

  async fail(input: { readonly month: string; readonly at: Date; readonly error: string }): Promise<void> {
    await this.options.run((db) =>
      sql`
        UPDATE ${this.table()} SET status = 'failed', last_error = ${input.error.slice(0, MAX_ERROR_LENGTH)}
         WHERE month = ${input.month} AND status <> 'completed'`.execute(db),
    );
  }

  private table() {
    return sql.id(this.options.schema, 'regulator_exports');
  }
}
