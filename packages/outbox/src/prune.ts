import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { quoteIdentifier } from '@sms/db';

/**
 * Deletes outbox rows published before `publishedBefore`; unpublished rows are never touched.
 * Returns how many were deleted. Keep them at least as long as the bus's deduplication window.
 */
export async function pruneOutbox<DB>(db: Kysely<DB>, schema: string, publishedBefore: Date): Promise<number> {
  const result = await sql`
    DELETE FROM ${sql.raw(`${quoteIdentifier(schema, 'schema')}.outbox`)}
    WHERE published_at IS NOT NULL AND published_at < ${publishedBefore}`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * Deletes inbox rows recorded before `handledBefore`. Keep them longer than a message can be
 * redelivered (the bus's retention of unacknowledged messages), or a late redelivery runs again.
 */
export async function pruneInbox<DB>(db: Kysely<DB>, schema: string, handledBefore: Date): Promise<number> {
  const result = await sql`
    DELETE FROM ${sql.raw(`${quoteIdentifier(schema, 'schema')}.inbox`)} WHERE handled_at < ${handledBefore}`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
