export type MigrationErrorCode =
  | 'MIGRATIONS_DIR_UNREADABLE'
  | 'BAD_FILE_NAME'
  | 'DUPLICATE_VERSION'
  | 'MISSING_UP'
  | 'MISSING_DOWN'
  | 'CHECKSUM_MISMATCH'
  | 'APPLIED_FILE_MISSING'
  | 'OUT_OF_ORDER'
  | 'UNKNOWN_PLACEHOLDER'
  | 'MISSING_PLACEHOLDER_VALUE'
  | 'BAD_STEPS'
  | 'BAD_SERVICE_LAYOUT'
  | 'MIGRATION_FAILED';

/**
 * Thrown when migrations are refused (a changed or missing file, a missing down step, an unknown
 * placeholder) before anything runs, or when a migration's SQL fails (that migration's
 * transaction is rolled back; earlier ones stay applied). `code` says which.
 */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
