variable "service" {
  description = "The service's name (folder under services/): Vault policy, Kubernetes auth role and database role are named after it."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,62}$", var.service))
    error_message = "service must be a lower-case service name such as sms-orchestrator."
  }
}

variable "namespace" {
  description = "Kubernetes namespace of the service's pods (its ServiceAccount has the service's name)."
  type        = string
}

variable "kubernetes_auth_backend" {
  description = "Path of the Kubernetes auth method in Vault."
  type        = string
  default     = "kubernetes"
}

variable "token_period_seconds" {
  description = "Period of the service's Vault token: the agent sidecar renews it; it never reaches a maximum TTL while renewed."
  type        = number
  default     = 3600
}

variable "rules" {
  description = "The service's own Vault paths and capabilities (scoped to what it uses; nothing else is granted)."
  type = list(object({
    path         = string
    capabilities = list(string)
    description  = string
  }))
  default = []
}

variable "database" {
  description = "Dynamic PostgreSQL credentials: each login (runtime, and the migrator of the Helm pre-upgrade Job) acts as owner_role, which owns the schema, and may SET ROLE to <schema>_app and <schema>_system (packages/db serviceRoles). null: none."
  type = object({
    backend     = string
    connection  = string
    schema      = string
    owner_role  = string
    default_ttl = number
    max_ttl     = number
  })
  default = null
}
