# The regulator-export signing key in Vault Transit: the private key never leaves Vault, cannot be
# exported or deleted, and is rotated yearly (earlier versions still verify earlier exports).
resource "vault_transit_secret_backend_key" "this" {
  backend                = var.transit_mount
  name                   = var.key_name
  type                   = var.key_type
  exportable             = false
  allow_plaintext_backup = false
  deletion_allowed       = false
  auto_rotate_period     = var.auto_rotate_period_seconds
}

# What numbering-service may do with the key (merged into its policy by the caller):
# sign, verify and read the public keys (the manifest names the key version it was signed with).
locals {
  signer_rules = [
    {
      path         = "${var.transit_mount}/sign/${var.key_name}"
      capabilities = ["update"]
      description  = "Sign regulator export manifests."
    },
    {
      path         = "${var.transit_mount}/verify/${var.key_name}"
      capabilities = ["update"]
      description  = "Verify a stored export's signature."
    },
    {
      path         = "${var.transit_mount}/keys/${var.key_name}"
      capabilities = ["read"]
      description  = "Read the public keys (published with each export)."
    },
  ]
}
