# operator-management: nothing outside secret/ops/operators/* (SERVICE_READINESS: Vault policy scoped), as in services/operator-management/deploy/vault/operator-management.hcl; dynamic PostgreSQL login.
module "vault_access" {
  source = "../../modules/service-vault-access"

  service                 = "operator-management"
  namespace               = var.namespace
  kubernetes_auth_backend = var.kubernetes_auth_backend
  rules                   = local.rules
  database = {
    backend     = var.database_backend
    connection  = var.database_connection
    schema      = "ops"
    owner_role  = "ops_owner"
    default_ttl = 86400
    max_ttl     = 2592000
  }
}

locals {
  rules = [
    {
      path         = "${var.kv_mount}/data/ops/operators/*"
      capabilities = ["create", "read", "update"]
      description  = "Read, create and rotate the SMPP bind passwords (ops/operators/<operator>/connections/<connection>)."
    },
    {
      path         = "${var.kv_mount}/metadata/ops/operators/*"
      capabilities = ["delete"]
      description  = "Remove every version of a password when its connection or operator is removed."
    },
  ]
}

output "policy_hcl" {
  description = "The service's Vault policy."
  value       = module.vault_access.policy_hcl
}

output "kubernetes_role" {
  description = "Vault role of the service's pods (vault.hashicorp.com/role)."
  value       = module.vault_access.kubernetes_role
}
