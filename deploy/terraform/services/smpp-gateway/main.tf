# smpp-gateway: its bind list; dynamic PostgreSQL login. Bind passwords are read from operator-management, not from Vault.
module "vault_access" {
  source = "../../modules/service-vault-access"

  service                 = "smpp-gateway"
  namespace               = var.namespace
  kubernetes_auth_backend = var.kubernetes_auth_backend
  rules                   = local.rules
  database = {
    backend     = var.database_backend
    connection  = var.database_connection
    schema      = "smpp"
    owner_role  = "smpp_owner"
    default_ttl = 86400
    max_ttl     = 2592000
  }
}

locals {
  rules = [
    {
      path         = "${var.kv_mount}/data/platform/smpp-gateway/*"
      capabilities = ["read"]
      description  = "The bind list (SMPP_CONNECTIONS); passwords come from operator-management at each bind."
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
