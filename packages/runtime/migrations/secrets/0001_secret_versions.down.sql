DROP TABLE {{schema}}.secret_versions;
