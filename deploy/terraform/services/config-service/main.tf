# config-service: no secret of its own in Vault; dynamic PostgreSQL login only.
module "vault_access" {
  source = "../../modules/service-vault-access"

  service                 = "config-service"
  namespace               = var.namespace
  kubernetes_auth_backend = var.kubernetes_auth_backend
  rules                   = local.rules
  database = {
    backend     = var.database_backend
    connection  = var.database_connection
    schema      = "config"
    owner_role  = "config_owner"
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
