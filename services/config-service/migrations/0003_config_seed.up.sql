-- Seed data (src/domain/config-seed.ts, `configSeed`): the levels, the GLOBAL node and its first
-- version, the system roles and the keys the platform needs from day one. Plain SQL rendered from
-- `configSeed` by test/support/render-seed-sql.ts; test/integration/seed.test.ts compares the
-- migrated database with `configSeed`. A later change of the seed is a NEW migration.
--
-- The tables FORCE row-level security, and no policy lets anyone write levels or system roles:
-- the migrating owner lifts FORCE for the length of this transaction (the owner is exempt from
-- RLS only while FORCE is off) and sets it again before committing.
ALTER TABLE {{schema}}.levels NO FORCE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.config_nodes NO FORCE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.node_versions NO FORCE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.role_definitions NO FORCE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.key_definitions NO FORCE ROW LEVEL SECURITY;

INSERT INTO {{schema}}.levels (name, parents, owns_tenant, description, position) VALUES
  ('GLOBAL', '{}'::text[], false, 'The national defaults; every node descends from it.', 1),
  ('operator', ARRAY['GLOBAL']::text[], false, 'A mobile network operator (MNO).', 2),
  ('region', ARRAY['GLOBAL']::text[], false, 'A geographic region (e.g. a province).', 3),
  ('tenant', ARRAY['GLOBAL', 'operator', 'region']::text[], true, 'A customer of the platform; its subtree belongs to it.', 4),
  ('sub-account', ARRAY['tenant']::text[], false, 'A department or application of a tenant.', 5);

INSERT INTO {{schema}}.config_nodes (id, level, name, parent_id, path, tenant_id, is_tenant_root, overrides, locks, version, created_at, updated_at) VALUES
  ('00000000-0000-7000-8000-000000000001', 'GLOBAL', 'global', NULL, '/GLOBAL', NULL, false, '{}'::jsonb, '{}'::text[], 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
INSERT INTO {{schema}}.node_versions (node_id, version, tenant_id, change, author, reason, at, diff, state, rolled_back_to) VALUES
  ('00000000-0000-7000-8000-000000000001', 1, NULL, 'node.created', 'system:migration', 'initial GLOBAL node', '2026-01-01T00:00:00.000Z', '[]'::jsonb, '{"parentId":null,"path":"/GLOBAL","overrides":{},"locks":[],"deleted":false}'::jsonb, NULL);

INSERT INTO {{schema}}.role_definitions (name, description, system, tenant_assignable, grants, version, updated_at) VALUES
  ('platform-admin', 'Operates the platform: every action on every node, the key catalogue, roles and policies.', true, false, '[{"actions":["node.read","node.create","node.move","node.delete","history.read","node.rollback","config.resolve","sensitive.read","value.set","value.clear","lock.set","lock.remove","key.read","key.define","key.update","role.read","role.assign","role.revoke","policy.read","policy.change"],"scope":"everywhere","keys":"all"}]'::jsonb, 1, '2026-01-01T00:00:00.000Z'),
  ('tenant-admin', 'Administers one tenant''s subtree: reads and changes values, locks and history there, creates sub-accounts, and assigns tenant roles inside the tenant. Never sees above its tenant node, never reads sensitive values.', true, true, '[{"actions":["node.read","node.create","history.read","node.rollback","config.resolve","value.set","value.clear","lock.set","lock.remove","key.read","role.read","role.assign","role.revoke"],"scope":"own-tenant","keys":"all"},{"actions":["node.move","node.delete"],"scope":"own-tenant-below-root","keys":"all"}]'::jsonb, 1, '2026-01-01T00:00:00.000Z'),
  ('read-only', 'Reads nodes, resolved values, history, the key catalogue, role assignments and policies; changes nothing and never reads sensitive values. Bound to a tenant, it reads only that tenant.', true, true, '[{"actions":["node.read","history.read","config.resolve","key.read","role.read","policy.read"],"scope":"everywhere","keys":"all"}]'::jsonb, 1, '2026-01-01T00:00:00.000Z'),
  ('service', 'A platform service reading its own configuration: resolves (including sensitive values) only the keys whose ownerService is the service''s name, at any node. Changes nothing.', true, false, '[{"actions":["config.resolve","sensitive.read","key.read"],"scope":"everywhere","keys":"owned-by-subject-service"}]'::jsonb, 1, '2026-01-01T00:00:00.000Z');

INSERT INTO {{schema}}.key_definitions (key, schema, description, sensitive, owner_service, deprecated, version, defined_at, updated_at) VALUES
  ('sms.max_parts_per_message', '{"type":"integer","minimum":1,"maximum":10,"default":6}'::jsonb, 'Largest number of concatenated parts one submitted message may need.', false, 'sms-orchestrator', false, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
  ('sms.submit_rate_per_second', '{"type":"integer","minimum":1,"maximum":100000,"default":100}'::jsonb, 'Messages per second a tenant may submit before it gets 429 with Retry-After.', false, 'sms-orchestrator', false, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');

ALTER TABLE {{schema}}.levels FORCE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.config_nodes FORCE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.node_versions FORCE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.role_definitions FORCE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.key_definitions FORCE ROW LEVEL SECURITY;
