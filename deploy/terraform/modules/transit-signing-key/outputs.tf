output "key_name" {
  description = "Name of the Transit key (numbering-service's signer key setting)."
  value       = vault_transit_secret_backend_key.this.name
}

output "signer_rules" {
  description = "Vault policy rules numbering-service needs for this key."
  value       = local.signer_rules
}
