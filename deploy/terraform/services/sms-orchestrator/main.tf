# sms-orchestrator: tenants' callback secrets (KV v2 under orch/) and its service token; dynamic PostgreSQL login.
module "vault_access" {
  source = "../../modules/service-vault-access"

  service                 = "sms-orchestrator"
  namespace               = var.namespace
  kubernetes_auth_backend = var.kubernetes_auth_backend
  rules                   = local.rules
  database = {
    backend     = var.database_backend
    connection  = var.database_connection
    schema      = "orch"
    owner_role  = "orch_owner"
    default_ttl = 86400
    max_ttl     = 2592000
  }
}

locals {
  rules = [
    {
      path         = "${var.kv_mount}/data/orch/tenants/*"
      capabilities = ["create", "read", "update"]
      description  = "Tenants' status-callback signing secrets (orch/tenants/<tenant>/callback-secret), created on first use."
    },
    {
      path         = "${var.kv_mount}/data/platform/sms-orchestrator/*"
      capabilities = ["read"]
      description  = "The orchestrator's service token (ORCH_SERVICE_TOKEN)."
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
