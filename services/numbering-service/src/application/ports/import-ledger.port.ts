/** One operator file that was imported, identified by the SHA-256 of its exact bytes. */
export interface ImportRecord {
  readonly id: string;
  readonly operatorCode: string;
  readonly fileSha256: string;
  /** The operator key that verified the signature. */
  readonly keyId: string;
  readonly rowCount: number;
  readonly msisdnCount: number;
  readonly shortCodeCount: number;
  readonly importedAt: Date;
  readonly importedBy: string;
}

/**
 * Files already imported. `fileSha256` is unique: recording a file twice answers `duplicate` (in Postgres a
 * unique index; a concurrent import of the same file waits for the first and then sees the duplicate).
 * Throws on an infrastructure fault.
 */
export interface ImportLedger {
  findBySha256(fileSha256: string): Promise<ImportRecord | null>;
  record(entry: ImportRecord): Promise<'recorded' | 'duplicate'>;
}
