variable "transit_mount" {
  description = "Path of the Transit secrets engine."
  type        = string
  default     = "transit"
}

variable "key_name" {
  description = "Name of the signing key (numbering-service signs the regulator export manifest with it)."
  type        = string
  default     = "numbering-regulator-export"
}

variable "key_type" {
  description = "Key type: @sms/secrets' Vault Transit signer supports ed25519 and RSA (PSS over SHA-256)."
  type        = string
  default     = "rsa-4096"
  validation {
    condition     = contains(["ed25519", "rsa-2048", "rsa-3072", "rsa-4096"], var.key_type)
    error_message = "key_type must be ed25519 or rsa-2048/3072/4096 (what the Transit signer of @sms/secrets verifies)."
  }
}

variable "auto_rotate_period_seconds" {
  description = "Rotation period of the key in seconds (the checklist asks for a rotated key; default one year); old versions keep verifying past exports."
  type        = number
  default     = 31536000
}
