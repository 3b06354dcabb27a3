variable "namespace" {
  description = "Kubernetes namespace of the platform's services."
  type        = string
  default     = "sms"
}

variable "kubernetes_auth_backend" {
  description = "Path of the Kubernetes auth method in Vault."
  type        = string
  default     = "kubernetes"
}

variable "kv_mount" {
  description = "Mount of the KV v2 engine (@sms/secrets' default: secret)."
  type        = string
  default     = "secret"
}

variable "database_backend" {
  description = "Mount of Vault's database secrets engine."
  type        = string
  default     = "database"
}

variable "database_connection" {
  description = "Name of the platform PostgreSQL connection in the database secrets engine."
  type        = string
  default     = "sms-platform"
}

