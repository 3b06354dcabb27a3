variable "aws_region" {
  description = "Region of the regulator-export bucket."
  type        = string
  default     = "eu-central-1"
}

variable "namespace" {
  description = "Kubernetes namespace of the platform's services."
  type        = string
  default     = "sms"
}

variable "numbering_irsa_role_name" {
  description = "IAM role of numbering-service's ServiceAccount (IRSA); gets the export writer policy."
  type        = string
}

variable "export_kms_key_arn" {
  description = "KMS key of the export bucket (null: aws/s3)."
  type        = string
  default     = null
}
