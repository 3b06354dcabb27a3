output "bucket" {
  description = "Bucket name (numbering-service's S3_BUCKET)."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "Bucket ARN."
  value       = aws_s3_bucket.this.arn
}

output "writer_policy_arn" {
  description = "IAM policy of the exporter (attach to numbering-service's IRSA role)."
  value       = aws_iam_policy.writer.arn
}
