import { quoteIdentifier } from '../identifiers.js';
import { MigrationError } from './migration.error.js';

/**
 * Values for the placeholders a migration may use. Each is replaced by a double-quoted identifier:
 * `{{schema}}` by the service's schema, `{{app_role}}` by the role the service's requests run as,
 * `{{system_role}}` by the role of its cross-tenant jobs.
 */
export interface MigrationPlaceholders {
  readonly schema: string;
  readonly app_role?: string;
  readonly system_role?: string;
}

export const PLACEHOLDER_NAMES = ['schema', 'app_role', 'system_role'] as const;
type PlaceholderName = (typeof PLACEHOLDER_NAMES)[number];

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

const isPlaceholderName = (name: string): name is PlaceholderName => (PLACEHOLDER_NAMES as readonly string[]).includes(name);

/** Replaces `{{schema}}`, `{{app_role}}` and `{{system_role}}` in `sql`; any other `{{…}}` is refused. */
export function renderMigrationSql(sql: string, values: MigrationPlaceholders, fileLabel: string): string {
  return sql.replace(PLACEHOLDER, (_whole, name: string) => {
    if (!isPlaceholderName(name)) {
      throw new MigrationError(
        'UNKNOWN_PLACEHOLDER',
        `${fileLabel} uses {{${name}}}; known placeholders are ${PLACEHOLDER_NAMES.map((n) => `{{${n}}}`).join(', ')}`,
      );
    }
    const value = values[name];
    if (value === undefined) {
      throw new MigrationError('MISSING_PLACEHOLDER_VALUE', `${fileLabel} uses {{${name}}} but no value was given for it`);
    }
    return quoteIdentifier(value, name);
  });
}
