import type { ImportLedger, ImportRecord } from '../../index.js';
import type { Runner } from './numbering-scope.js';

/**
 * {@link ImportLedger} on `import_ledger`, unique by the file's SHA-256: a second record of the same file
 * inserts nothing and answers `duplicate` (a concurrent one waits for the first transaction to end).
 */
export class PostgresImportLedger implements ImportLedger {
  constructor(
    private readonly run: Runner,
    private readonly schema: string,
  ) {}

  findBySha256(fileSha256: string): Promise<ImportRecord | null> {
    return this.run(async (db) => {
      const row = await db.withSchema(this.schema).selectFrom('import_ledger').selectAll().where('file_sha256', '=', fileSha256).executeTakeFirst();
      if (row === undefined) return null;
      return {
        id: row.id,
        operatorCode: row.operator_code,
        fileSha256: row.file_sha256,
        keyId: row.key_id,
        rowCount: row.row_count,
        msisdnCount: row.msisdn_count,
        shortCodeCount: row.short_code_count,
        importedAt: row.imported_at,
        importedBy: row.imported_by,
      };
    });
  }

  record(entry: ImportRecord): Promise<'recorded' | 'duplicate'> {
    return this.run(async (db) => {
      const rows = await db
        .withSchema(this.schema)
        .insertInto('import_ledger')
        .values({
          id: entry.id,
          operator_code: entry.operatorCode,
          file_sha256: entry.fileSha256,
          key_id: entry.keyId,
          row_count: entry.rowCount,
          msisdn_count: entry.msisdnCount,
          short_code_count: entry.shortCodeCount,
          imported_at: entry.importedAt,
          imported_by: entry.importedBy,
        })
        .onConflict((oc) => oc.column('file_sha256').doNothing())
        .returning('id')
        .execute();
      return rows.length > 0 ? 'recorded' : 'duplicate';
    });
  }
}
