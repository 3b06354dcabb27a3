-- The routing engine's copy of operator-management's routing data (a projection of the ops.* events),
-- so a restarted instance answers as before without waiting for new events. Platform data: no tenant
-- column, no row-level security (every tenant's messages are routed from the same rules).
CREATE TABLE {{schema}}.rule_set (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version integer NOT NULL CHECK (version >= 0),
  rules jsonb NOT NULL CHECK (jsonb_typeof(rules) = 'array'),
  changed_at timestamptz NOT NULL,
  stored_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE {{schema}}.operators (
  operator_id uuid PRIMARY KEY,
  code text NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'suspended', 'deleted')),
  version integer NOT NULL CHECK (version >= 1),
  connections jsonb NOT NULL CHECK (jsonb_typeof(connections) = 'array'),
  stored_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE {{schema}}.operator_health (
  operator_id uuid PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('up', 'degraded', 'down')),
  connections jsonb NOT NULL CHECK (jsonb_typeof(connections) = 'array'),
  changed_at timestamptz NOT NULL,
  stored_at timestamptz NOT NULL DEFAULT now()
);
