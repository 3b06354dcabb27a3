terraform {
  required_version = ">= 1.5.0"
  required_providers {
    vault = {
      source  = "hashicorp/vault"
      version = ">= 4.0.0, < 5.0.0"
    }
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0.0, < 6.0.0"
    }
  }
  # State in S3 with locking; bucket, key and table are given at `terraform init -backend-config=…`.
  backend "s3" {}
}

# Vault: address and token from VAULT_ADDR / VAULT_TOKEN of the operator running terraform.
provider "vault" {}

provider "aws" {
  region = var.aws_region
}
