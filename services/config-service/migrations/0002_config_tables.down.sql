DROP TABLE {{schema}}.role_assignments;
DROP TABLE {{schema}}.role_definitions;
DROP TABLE {{schema}}.key_definitions;
DROP TABLE {{schema}}.node_versions;
DROP TABLE {{schema}}.config_nodes;
DROP TABLE {{schema}}.levels;
