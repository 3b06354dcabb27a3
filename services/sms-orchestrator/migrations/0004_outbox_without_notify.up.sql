-- The orchestrator's relay polls its outbox (every 20 ms when drained) instead of being woken by
-- NOTIFY: a transaction that NOTIFYs takes a cluster-wide lock held until its commit is flushed,
-- which serialises every such commit (a few hundred per second with a 3 ms fsync), and every submit
-- and every dispatch writes to the outbox. docs/data-model.md, "orch.outbox".
DROP TRIGGER outbox_notify ON {{schema}}.outbox;
