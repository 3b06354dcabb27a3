-- Embedded mode's local secret store (@sms/secrets createLocalSecretStore): every version of every
-- secret, envelope-encrypted with AES-256-GCM. Production uses Vault and never creates this schema.
CREATE TABLE {{schema}}.secret_versions (
  path          text        NOT NULL,
  version       integer     NOT NULL CHECK (version > 0),
  master_key_id text        NOT NULL,
  key_iv        bytea       NOT NULL,
  wrapped_key   bytea       NOT NULL,
  key_tag       bytea       NOT NULL,
  data_iv       bytea       NOT NULL,
  ciphertext    bytea       NOT NULL,
  data_tag      bytea       NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (path, version)
);
COMMENT ON TABLE {{schema}}.secret_versions IS 'Envelope-encrypted secrets (embedded mode); written only by @sms/secrets.';
