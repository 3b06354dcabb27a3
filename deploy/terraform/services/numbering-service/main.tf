# numbering-service: the regulator-export signing key in Transit (sign, verify, read public keys); dynamic PostgreSQL login.
module "vault_access" {
  source = "../../modules/service-vault-access"

  service                 = "numbering-service"
  namespace               = var.namespace
  kubernetes_auth_backend = var.kubernetes_auth_backend
  rules                   = concat(local.rules, var.signer_rules)
  database = {
    backend     = var.database_backend
    connection  = var.database_connection
    schema      = "numbering"
    owner_role  = "numbering_owner"
    default_ttl = 86400
    max_ttl     = 2592000
  }
}

locals {
  rules = []
}

output "policy_hcl" {
  description = "The service's Vault policy."
  value       = module.vault_access.policy_hcl
}

output "kubernetes_role" {
  description = "Vault role of the service's pods (vault.hashicorp.com/role)."
  value       = module.vault_access.kubernetes_role
}
