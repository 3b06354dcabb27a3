# One service's access to Vault: a policy with only its own paths, a Kubernetes auth role bound to its
# ServiceAccount, and (optionally) a database role for dynamic PostgreSQL credentials.

locals {
  database_rules = var.database == null ? [] : [{
    path         = "${var.database.backend}/creds/${var.service}"
    capabilities = ["read"]
    description  = "Dynamic PostgreSQL login for ${var.service} (rendered into DATABASE_URL by the Vault agent)."
  }]
  all_rules = concat(var.rules, local.database_rules)
  migrator  = "${var.service}-migrator"
}

data "vault_policy_document" "this" {
  dynamic "rule" {
    for_each = local.all_rules
    content {
      path         = rule.value.path
      capabilities = rule.value.capabilities
      description  = rule.value.description
    }
  }
}

resource "vault_policy" "this" {
  name   = var.service
  policy = data.vault_policy_document.this.hcl
}

resource "vault_kubernetes_auth_backend_role" "this" {
  backend                          = var.kubernetes_auth_backend
  role_name                        = var.service
  bound_service_account_names      = [var.service]
  bound_service_account_namespaces = [var.namespace]
  token_policies                   = [vault_policy.this.name]
  token_period                     = var.token_period_seconds
  audience                         = "vault"
}

resource "vault_database_secret_backend_role" "this" {
  count   = var.database == null ? 0 : 1
  backend = var.database.backend
  name    = var.service
  db_name = var.database.connection
  # Requests run `SET LOCAL ROLE <schema>_app` (RLS applies), jobs `<schema>_system`; outside those the
  # login acts as the owner role, so what its jobs create (partitions) is owned by the owner role and
  # outlives the ephemeral login.
  creation_statements = [
    "CREATE ROLE \"{{name}}\" LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}' IN ROLE ${var.database.owner_role}, ${var.database.schema}_app, ${var.database.schema}_system;",
    "ALTER ROLE \"{{name}}\" SET ROLE ${var.database.owner_role};",
  ]
  revocation_statements = [
    "DROP ROLE IF EXISTS \"{{name}}\";",
  ]
  default_ttl = var.database.default_ttl
  max_ttl     = var.database.max_ttl
}

# The migration Job (Helm pre-install/pre-upgrade hook) logs in with its own ServiceAccount and gets
# an owner login: migrations create and alter the schema's tables; the runtime login cannot.
data "vault_policy_document" "migrator" {
  count = var.database == null ? 0 : 1
  rule {
    path         = "${var.database.backend}/creds/${local.migrator}"
    capabilities = ["read"]
    description  = "Dynamic PostgreSQL owner login for the migrations of ${var.service}."
  }
}

resource "vault_policy" "migrator" {
  count  = var.database == null ? 0 : 1
  name   = local.migrator
  policy = data.vault_policy_document.migrator[0].hcl
}

resource "vault_kubernetes_auth_backend_role" "migrator" {
  count                            = var.database == null ? 0 : 1
  backend                          = var.kubernetes_auth_backend
  role_name                        = local.migrator
  bound_service_account_names      = [local.migrator]
  bound_service_account_namespaces = [var.namespace]
  token_policies                   = [vault_policy.migrator[0].name]
  token_ttl                        = 900
  token_max_ttl                    = 1800
  audience                         = "vault"
}

resource "vault_database_secret_backend_role" "migrator" {
  count   = var.database == null ? 0 : 1
  backend = var.database.backend
  name    = local.migrator
  db_name = var.database.connection
  creation_statements = [
    "CREATE ROLE \"{{name}}\" LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}' IN ROLE ${var.database.owner_role};",
    "ALTER ROLE \"{{name}}\" SET ROLE ${var.database.owner_role};",
  ]
  revocation_statements = [
    "DROP ROLE IF EXISTS \"{{name}}\";",
  ]
  default_ttl = 900
  max_ttl     = 1800
}
