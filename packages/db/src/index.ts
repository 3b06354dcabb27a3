export { createDatabase } from './database.js';
export type { Database, DatabaseOptions } from './database.js';
export { ensureDatabase, withDatabaseName } from './ensure-database.js';
export { isSafeIdentifier, quoteIdentifier, InvalidIdentifierError } from './identifiers.js';

export {
  startEmbeddedPostgres,
  isPostgresReachable,
  EmbeddedPostgresError,
  EMBEDDED_POSTGRES_DEFAULT_PORT,
} from './embedded/embedded-postgres.js';
export type { EmbeddedPostgres, EmbeddedPostgresOptions } from './embedded/embedded-postgres.js';
export { openEmbeddedDatabase, EMBEDDED_DATA_DIR, EMBEDDED_DATABASE_NAME } from './embedded/embedded-database.js';
export type { EmbeddedDatabase, EmbeddedDatabaseOptions } from './embedded/embedded-database.js';

export { migrate, migrationStatus } from './migrations/migrate.js';
export type { MigrateOptions, MigrateResult, MigrationStatus, MigrationTarget, AppliedMigration } from './migrations/migrate.js';
export { loadMigrations, migrationChecksum } from './migrations/migration-files.js';
export type { MigrationFile } from './migrations/migration-files.js';
export { MigrationError } from './migrations/migration.error.js';
export type { MigrationErrorCode } from './migrations/migration.error.js';
export { renderMigrationSql, PLACEHOLDER_NAMES } from './migrations/placeholders.js';
export type { MigrationPlaceholders } from './migrations/placeholders.js';
export { discoverServiceMigrations, serviceRoles } from './migrations/service-migrations.js';
export type { ServiceMigrations } from './migrations/service-migrations.js';

export { ensureAppRole, dropAppRole, UnsafeAppRoleError } from './tenancy/app-role.js';
export type { EnsureAppRoleOptions } from './tenancy/app-role.js';
export { tryWithAdvisoryLock } from './locks/advisory-lock.js';
export type { AdvisoryLockOutcome } from './locks/advisory-lock.js';
export {
  withTenant,
  withSystem,
  scopeTransaction,
  isValidTenantId,
  InvalidTenantIdError,
  TENANT_SETTING,
} from './tenancy/tenant-scope.js';
export type { TenantScope, SystemScope } from './tenancy/tenant-scope.js';
export { tenantIsolationSql, tenantIsolationDownSql } from './tenancy/tenant-isolation.sql.js';
export type { TenantIsolationOptions } from './tenancy/tenant-isolation.sql.js';
