-- The platform-wide routing rule set, one row per version (every version kept for audit), and
-- the current health of each operator (one row per operator, compare-and-swap on version).

CREATE TABLE {{schema}}.routing_rule_sets (
  version integer PRIMARY KEY CHECK (version >= 1),
  rules jsonb NOT NULL CHECK (jsonb_typeof(rules) = 'array'),
  created_at timestamptz NOT NULL
);

CREATE TABLE {{schema}}.operator_health (
  operator_id uuid PRIMARY KEY REFERENCES {{schema}}.operators (id) ON DELETE CASCADE,
  state text NOT NULL CHECK (state IN ('up', 'degraded', 'down')),
  reason text NOT NULL,
  -- The latest report of each connection: [{ connectionId, bindState, latencyMs, errorRate, throughputPerSecond, at }].
  connections jsonb NOT NULL CHECK (jsonb_typeof(connections) = 'array'),
  state_changed_at timestamptz NOT NULL,
  last_report_at timestamptz NOT NULL,
  version integer NOT NULL CHECK (version >= 1)
);
