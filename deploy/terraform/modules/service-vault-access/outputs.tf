output "policy_name" {
  description = "Name of the service's Vault policy."
  value       = vault_policy.this.name
}

output "policy_hcl" {
  description = "The policy as Vault stores it."
  value       = data.vault_policy_document.this.hcl
}

output "kubernetes_role" {
  description = "The Kubernetes auth role the Vault agent logs in with (vault.hashicorp.com/role)."
  value       = vault_kubernetes_auth_backend_role.this.role_name
}
