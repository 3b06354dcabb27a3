/**
 * Names that end up spliced into SQL (schemas, roles, tables) are never user input, but they do
 * come from configuration and folder names. Only plain lower-case identifiers are accepted, so
 * quoting is a formality and no name can change the meaning of a statement.
 */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Thrown when a schema, role or table name is not a plain lower-case SQL identifier. */
export class InvalidIdentifierError extends Error {
  override readonly name = 'InvalidIdentifierError';
}

/** True for `[a-z_][a-z0-9_]*`, at most 63 characters (PostgreSQL's limit). */
export const isSafeIdentifier = (value: string): boolean => IDENTIFIER.test(value);

/** Returns the identifier double-quoted, after checking it is a plain lower-case identifier. */
export function quoteIdentifier(value: string, what = 'identifier'): string {
  if (!isSafeIdentifier(value)) {
    throw new InvalidIdentifierError(
      `${what} ${JSON.stringify(value)} must match ${IDENTIFIER.source} (lower case letters, digits and _, at most 63)`,
    );
  }
  return `"${value}"`;
}
