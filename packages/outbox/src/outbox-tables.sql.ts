import { quoteIdentifier } from '@sms/db';

// `{{schema}}` passes through for migration files (the migrator substitutes it); a real name is quoted.
const schemaName = (schema: string): string => (schema === '{{schema}}' ? schema : quoteIdentifier(schema, 'schema'));

/**
 * The outbox and inbox tables of one schema, for a service's versioned migration. Call with
 * `'{{schema}}'` to get the text to paste into a migration file (the README shows it), or with a
 * schema name to run it directly (tests).
 *
 * - `outbox`: one row per event, written in the transaction of the state change. `id` is the event
 *   id (and the bus `msgId`); `seq` is the publish order; `payload` is the whole envelope;
 *   `headers` the trace context at write time. An `AFTER INSERT` statement trigger notifies
 *   channel `<schema>_outbox` so a listening relay wakes at once.
 * - `inbox`: one row per event a consumer has handled; the primary key makes a redelivery a no-op.
 *
 * Neither table is tenant-scoped (no row-level security): services do not expose them, and the
 * relay reads every tenant's events.
 */
export function outboxTablesSql(schema: string): string {
  const s = schemaName(schema);
  return `CREATE TABLE ${s}.outbox (
  id uuid PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  aggregate_type text NOT NULL,
  aggregate_id text NOT NULL,
  event_type text NOT NULL,
  tenant_id text NULL,
  payload jsonb NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}'::jsonb,
  occurred_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz NULL,
  attempts integer NOT NULL DEFAULT 0,
  last_error text NULL
);
CREATE INDEX outbox_unpublished_idx ON ${s}.outbox (seq) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at_idx ON ${s}.outbox (published_at) WHERE published_at IS NOT NULL;

CREATE FUNCTION ${s}.outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify(TG_TABLE_SCHEMA || '_outbox', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER outbox_notify AFTER INSERT ON ${s}.outbox
  FOR EACH STATEMENT EXECUTE FUNCTION ${s}.outbox_notify();

CREATE TABLE ${s}.inbox (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  handled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
CREATE INDEX inbox_handled_at_idx ON ${s}.inbox (handled_at);
`;
}

/** The down step of {@link outboxTablesSql}. */
export function outboxTablesDownSql(schema: string): string {
  const s = schemaName(schema);
  return `DROP TABLE ${s}.inbox;
DROP TABLE ${s}.outbox;
DROP FUNCTION ${s}.outbox_notify();
`;
}

/** The NOTIFY channel of a schema's outbox. */
export const outboxChannel = (schema: string): string => `${schema}_outbox`;
