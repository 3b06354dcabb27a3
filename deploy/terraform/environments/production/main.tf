# Production: every service's Vault access, the regulator-export signing key and the write-once
# export bucket. NATS streams are not managed here: ARCHITECTURE.md names no NATS provider, and each
# service creates the streams it publishes into when it connects (ServiceDefinition.streams).

module "numbering_signing_key" {
  source   = "../../modules/transit-signing-key"
  key_name = "numbering-regulator-export"
}

module "regulator_export_bucket" {
  source            = "../../modules/regulator-export-bucket"
  bucket_name       = "ghasi-regulator-exports-production"
  retention_years   = 7
  kms_key_arn       = var.export_kms_key_arn
  writer_role_names = [var.numbering_irsa_role_name]
  tags = {
    "app.kubernetes.io/part-of" = "sms-platform"
    environment                 = "production"
  }
}

module "sms_orchestrator" {
  source    = "../../services/sms-orchestrator"
  namespace = var.namespace
}

module "numbering_service" {
  source       = "../../services/numbering-service"
  namespace    = var.namespace
  signer_rules = module.numbering_signing_key.signer_rules
}

module "operator_management" {
  source    = "../../services/operator-management"
  namespace = var.namespace
}

module "config_service" {
  source    = "../../services/config-service"
  namespace = var.namespace
}

module "routing_engine" {
  source    = "../../services/routing-engine"
  namespace = var.namespace
}

module "smpp_gateway" {
  source    = "../../services/smpp-gateway"
  namespace = var.namespace
}
