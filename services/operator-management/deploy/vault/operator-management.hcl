# Vault policy of operator-management (docs/vault-bootstrap.md). KV v2 mounted at `secret/`.
# The service stores one secret per SMPP connection at secret/ops/operators/<operatorId>/connections/<connectionId>
# (its SecretStore has base path `ops`): nothing outside secret/ops/operators/* is reachable.

# Read, create and rotate bind passwords (KV v2 data endpoint).
path "secret/data/ops/operators/*" {
  capabilities = ["create", "read", "update"]
}

# Remove every version of a connection's password when the connection or operator is removed.
path "secret/metadata/ops/operators/*" {
  capabilities = ["delete"]
}
