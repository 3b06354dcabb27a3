-- Every health report the SMPP gateway sent, partitioned by the time it was measured (`at`), one
-- partition per UTC day named operator_health_log_pYYYYMMDD (pg_partman's daily naming).
-- Partitions are created ahead and dropped after the retention by pg_partman where the server has
-- it, otherwise by this service's partition maintenance job (src/adapters/jobs/health-log-partitions.ts;
-- docs/data-model.md). No default partition: a default partition would have to be emptied before
-- every new partition could be attached.
CREATE TABLE {{schema}}.operator_health_log (
  operator_id uuid NOT NULL,
  connection_id uuid NOT NULL,
  at timestamptz NOT NULL,
  bind_state text NOT NULL CHECK (bind_state IN ('bound', 'unbound', 'binding')),
  latency_ms double precision NOT NULL CHECK (latency_ms >= 0),
  error_rate double precision NOT NULL CHECK (error_rate BETWEEN 0 AND 1),
  throughput_per_second double precision NOT NULL CHECK (throughput_per_second >= 0),
  received_at timestamptz NOT NULL,
  -- A report delivered twice (bus redelivery, HTTP retry) is stored once.
  PRIMARY KEY (operator_id, connection_id, at)
) PARTITION BY RANGE (at);
