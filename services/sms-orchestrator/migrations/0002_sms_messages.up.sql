-- Messages, range-partitioned by creation time (one partition per UTC day), under row-level security.
--
-- The partition key `created_at` is the creation time encoded in the message id (UUIDv7: the first
-- 48 bits are Unix milliseconds), enforced by a CHECK. So a lookup by id alone can name its
-- partition (`WHERE id = $1 AND created_at = uuid_v7_time($1)`) and the primary key, which must
-- contain the partition key, stays unique per id.

CREATE FUNCTION {{schema}}.uuid_v7_time(id uuid) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT to_timestamp((('x' || substr(replace(id::text, '-', ''), 1, 12))::bit(48)::bigint) / 1000.0) $$;

CREATE TABLE {{schema}}.sms_messages (
  id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  tenant_id text NOT NULL CHECK (tenant_id <> ''),
  to_msisdn text NOT NULL,
  from_value text NOT NULL,
  from_kind text NOT NULL CHECK (from_kind IN ('msisdn', 'short_code')),
  body text NOT NULL,
  encoding text NOT NULL CHECK (encoding IN ('GSM-7', 'UCS-2')),
  segment_count smallint NOT NULL CHECK (segment_count BETWEEN 1 AND 255),
  client_reference text NULL,
  validity_period_seconds integer NOT NULL CHECK (validity_period_seconds > 0),
  callback_url text NULL,
  status text NOT NULL CHECK (status IN ('accepted', 'routed', 'submitted', 'delivered', 'undelivered', 'expired', 'failed', 'rejected', 'dead_lettered')),
  -- [{ "status", "at", "errorCode", "reason" }, …] oldest first; written with the status, in one row.
  status_history jsonb NOT NULL CHECK (jsonb_typeof(status_history) = 'array'),
  error_code text NULL,
  error_reason text NULL,
  operator_id text NULL,
  connection_id text NULL,
  smsc_message_id text NULL,
  pipeline_attempts integer NOT NULL DEFAULT 0 CHECK (pipeline_attempts >= 0),
  next_attempt_at timestamptz NULL,
  accepted_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  version integer NOT NULL CHECK (version >= 0),
  PRIMARY KEY (id, created_at),
  CONSTRAINT sms_messages_created_at_is_id_time CHECK (created_at = {{schema}}.uuid_v7_time(id))
) PARTITION BY RANGE (created_at);

-- The retry sweeper's two questions, kept small: only messages still in the pipeline are indexed.
CREATE INDEX sms_messages_retry_due_idx ON {{schema}}.sms_messages (next_attempt_at)
  WHERE status = 'accepted' AND next_attempt_at IS NOT NULL;
CREATE INDEX sms_messages_pending_idx ON {{schema}}.sms_messages (accepted_at)
  WHERE status = 'accepted' AND next_attempt_at IS NULL;

ALTER TABLE {{schema}}.sms_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.sms_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY sms_messages_tenant_isolation ON {{schema}}.sms_messages
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''))
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''));
CREATE POLICY sms_messages_system_access ON {{schema}}.sms_messages
  TO {{system_role}}
  USING (true)
  WITH CHECK (true);

-- Row-level security of a partitioned table applies to queries through it, not to a partition
-- queried by name, so every partition carries the same policies.
CREATE FUNCTION {{schema}}.secure_sms_messages_partition(partition_name text) RETURNS void
  LANGUAGE plpgsql AS $fn$
DECLARE
  qualified text := format('%s.%I', '{{schema}}', partition_name);
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', qualified);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', qualified);
  IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = to_regnamespace('{{schema}}')::text AND tablename = partition_name AND policyname = partition_name || '_tenant_isolation') THEN
    EXECUTE format(
      'CREATE POLICY %I ON %s USING (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')) WITH CHECK (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), ''''))',
      partition_name || '_tenant_isolation', qualified);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = to_regnamespace('{{schema}}')::text AND tablename = partition_name AND policyname = partition_name || '_system_access') THEN
    EXECUTE format('CREATE POLICY %I ON %s TO %s USING (true) WITH CHECK (true)',
      partition_name || '_system_access', qualified, '{{system_role}}');
  END IF;
END
$fn$;

-- Creates the partition of one UTC day if it does not exist yet (idempotent), with its policies.
-- Rows of that day that landed in the default partition (maintenance fell behind) are moved into it.
-- Returns the partition's name.
CREATE FUNCTION {{schema}}.ensure_sms_messages_partition(day date) RETURNS text
  LANGUAGE plpgsql AS $fn$
DECLARE
  partition_name text := 'sms_messages_p' || to_char(day, 'YYYYMMDD');
  qualified text := format('%s.%I', '{{schema}}', 'sms_messages_p' || to_char(day, 'YYYYMMDD'));
  parent text := format('%s.sms_messages', '{{schema}}');
  fallback text := format('%s.sms_messages_default', '{{schema}}');
  lower_bound timestamptz := (day::timestamp AT TIME ZONE 'UTC');
  upper_bound timestamptz := ((day + 1)::timestamp AT TIME ZONE 'UTC');
  stray bigint;
BEGIN
  IF to_regclass(qualified) IS NOT NULL THEN
    RETURN partition_name;
  END IF;
  EXECUTE format('SELECT count(*) FROM %s WHERE created_at >= $1 AND created_at < $2', fallback)
    INTO stray USING lower_bound, upper_bound;
  IF stray = 0 THEN
    EXECUTE format('CREATE TABLE %s PARTITION OF %s FOR VALUES FROM (%L) TO (%L)', qualified, parent, lower_bound, upper_bound);
  ELSE
    EXECUTE format('CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', qualified, parent);
    EXECUTE format('WITH moved AS (DELETE FROM %s WHERE created_at >= $1 AND created_at < $2 RETURNING *) INSERT INTO %s SELECT * FROM moved', fallback, qualified)
      USING lower_bound, upper_bound;
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%L) TO (%L)', parent, qualified, lower_bound, upper_bound);
  END IF;
  PERFORM {{schema}}.secure_sms_messages_partition(partition_name);
  RETURN partition_name;
END
$fn$;

-- Catches rows of a day whose partition does not exist yet, so a late maintenance job never fails a submit.
CREATE TABLE {{schema}}.sms_messages_default PARTITION OF {{schema}}.sms_messages DEFAULT;
SELECT {{schema}}.secure_sms_messages_partition('sms_messages_default');

-- Today and the next days exist from the start; the maintenance job keeps creating ahead.
SELECT {{schema}}.ensure_sms_messages_partition((now() AT TIME ZONE 'UTC')::date + offset_days)
  FROM generate_series(-1, 7) AS offset_days;

-- What the partition maintenance job did to each old partition, so every step can resume:
-- detached → archived (Parquet parts and their manifest written and verified) → dropped.
CREATE TABLE {{schema}}.sms_messages_archive_log (
  partition_name text PRIMARY KEY,
  range_start timestamptz NOT NULL,
  range_end timestamptz NOT NULL,
  state text NOT NULL CHECK (state IN ('detached', 'archived', 'dropped')),
  -- Parquet parts written so far: [{ "key", "rows", "bytes", "sha256", "lastId" }], in id order.
  parts jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- The manifest object, once every part is written.
  object_key text NULL,
  row_count bigint NULL,
  byte_size bigint NULL,
  sha256 text NULL,
  detached_at timestamptz NOT NULL,
  archived_at timestamptz NULL,
  dropped_at timestamptz NULL
);
