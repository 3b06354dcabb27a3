import pg from 'pg';
import { quoteIdentifier } from './identifiers.js';

// Two processes creating one database at once: the loser sees either error, depending on timing.
const ALREADY_EXISTS = new Set(['42P04', '23505']);

/**
 * Creates database `name` on the server of `url` unless it exists, and returns the URL of that
 * database (same credentials). Safe to call from several processes at once.
 */
export async function ensureDatabase(url: string, name: string): Promise<string> {
  const quoted = quoteIdentifier(name, 'database name');
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount === 0) {
      await client.query(`CREATE DATABASE ${quoted}`).catch((error: unknown) => {
        if (!ALREADY_EXISTS.has((error as { code?: string }).code ?? '')) throw error;
      });
    }
  } finally {
    await client.end();
  }
  return withDatabaseName(url, name);
}

/** The same connection URL pointing at another database. */
export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(name)}`;
  return parsed.toString();
}
