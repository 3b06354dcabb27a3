-- Removes exactly the seeded rows. Refused (foreign keys) while nodes other than GLOBAL still
-- hang below it or keys are still overridden: reverting the seed never deletes configuration.
ALTER TABLE {{schema}}.levels NO FORCE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.config_nodes NO FORCE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.node_versions NO FORCE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.role_definitions NO FORCE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.key_definitions NO FORCE ROW LEVEL SECURITY;

DELETE FROM {{schema}}.key_definitions WHERE key IN ('sms.max_parts_per_message', 'sms.submit_rate_per_second');
DELETE FROM {{schema}}.role_definitions WHERE name IN ('platform-admin', 'tenant-admin', 'read-only', 'service');
DELETE FROM {{schema}}.node_versions WHERE node_id = '00000000-0000-7000-8000-000000000001';
DELETE FROM {{schema}}.config_nodes WHERE id = '00000000-0000-7000-8000-000000000001';
DELETE FROM {{schema}}.levels WHERE name IN ('GLOBAL', 'operator', 'region', 'tenant', 'sub-account');

ALTER TABLE {{schema}}.levels FORCE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.config_nodes FORCE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.node_versions FORCE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.role_definitions FORCE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.key_definitions FORCE ROW LEVEL SECURITY;
