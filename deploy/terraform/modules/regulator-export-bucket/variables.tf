variable "bucket_name" {
  description = "Bucket of the monthly regulator (ATRA) exports, e.g. ghasi-regulator-exports-production."
  type        = string
  validation {
    condition     = can(regex("^ghasi-regulator-exports-[a-z0-9-]+$", var.bucket_name))
    error_message = "bucket_name must be ghasi-regulator-exports-<environment> (numbering-service SERVICE_READINESS §5)."
  }
}

variable "retention_years" {
  description = "Object Lock retention in COMPLIANCE mode: nobody, root included, can delete or overwrite an export before it ends."
  type        = number
  default     = 7
  validation {
    condition     = var.retention_years >= 7
    error_message = "Regulator exports are kept at least 7 years (audit retention approved by Legal and ATRA)."
  }
}

variable "kms_key_arn" {
  description = "KMS key for server-side encryption (null: the AWS-managed aws/s3 key)."
  type        = string
  default     = null
}

variable "writer_role_names" {
  description = "IAM roles allowed to write exports (numbering-service's IRSA role). They may put objects and read them back, never delete."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
