// Public surface of the SMPP gateway: the service definition, the composition, the SMSC simulator
// (the embedded platform and other services' end-to-end tests use it) and the domain they speak.
export { smppGatewayService, createSmppGatewayService } from './service.js';
export type { SmppGatewayServiceOptions } from './service.js';
export { createSmppGateway } from './smpp-gateway.js';
export type { SmppGateway, SmppGatewayDependencies } from './smpp-gateway.js';
export { gatewayEnv, connectionConfig } from './gateway-env.js';
export type { GatewayEnv, ConnectionConfig } from './gateway-env.js';

export { SmscSimulator, formatMessageId } from './adapters/simulator/smsc-simulator.js';
export type { SmscSimulatorOptions, SimulatorBehaviour, ReceivedSubmission, SimulatorStats, MessageIdStyle } from './adapters/simulator/smsc-simulator.js';
export { ConfigCredentialsProvider } from './adapters/smpp/config-credentials.provider.js';
export { HttpCredentialsProvider } from './adapters/operator-management/http-credentials.provider.js';
export type { HttpCredentialsProviderOptions, ClientTls } from './adapters/operator-management/http-credentials.provider.js';
export { BindHealthReporter, HEALTH_REPORT_SUBJECT } from './adapters/health/bind-health.reporter.js';
export type { BindHealthReport, BindHealthReporterOptions } from './adapters/health/bind-health.reporter.js';
export type { SmppConnectionSettings, BindState } from './adapters/smpp/smpp-connection.js';

export { SubmitOutboundMessage } from './application/submit-outbound-message.use-case.js';
export type { OutboundRequest, SubmitOutcome, SubmitDeferred } from './application/submit-outbound-message.use-case.js';
export { HandleDeliveryReceipt } from './application/handle-delivery-receipt.use-case.js';
export type { ReceiptOutcomeReport } from './application/handle-delivery-receipt.use-case.js';
export type { CredentialsProvider, SmscCredentials } from './application/ports/credentials-provider.port.js';
export type { SmscSubmitter, SubmitPartRequest, SubmitPartResponse, Sleeper } from './application/ports/smsc-submitter.port.js';
export type { SmppUnitOfWork, SmppScope, SubmittedPart, FinalStatus } from './application/ports/smpp-store.port.js';

export { DELIVERY_STATUS_EVENT, deliveryStatusEnvelope, concatenationReference } from './domain/delivery-status-event.js';
export type { DeliveryStatusData } from './domain/delivery-status-event.js';
export { splitMessage, chooseEncoding, readConcatenationHeader, DATA_CODING, PART_LIMITS, ESM_CLASS_UDHI } from './domain/message-parts.js';
export type { MessageEncoding, MessagePart, SplitMessage, SplitFailure, ConcatenationHeader } from './domain/message-parts.js';
export { encodeGsm7, decodeGsm7, encodeUcs2, decodeUcs2 } from './domain/gsm7.js';
export { parseDeliveryReceipt, parseReceiptText, formatReceiptText, isDeliveryReceipt } from './domain/delivery-receipt.js';
export type { DeliveryReceipt, ReceiptPdu } from './domain/delivery-receipt.js';
export { outcomeOfReceiptState, combinePartStatuses, RECEIPT_STATES } from './domain/receipt-state.js';
export type { ReceiptState, DeliveryStatus, ReceiptOutcome } from './domain/receipt-state.js';
export { canonicalSmscMessageId, receiptLookupKey, SMSC_ID_FORMS } from './domain/smsc-message-id.js';
export type { SmscIdForms } from './domain/smsc-message-id.js';
export { TokenBucket } from './domain/token-bucket.js';
export { SubmitWindow } from './domain/submit-window.js';
export { decideAfterSubmit, backoffDelay, smppErrorCode, SMPP_STATUS, DEFAULT_SUBMIT_RETRY_POLICY } from './domain/submit-retry-policy.js';
export type { RetryPolicy, SubmitDecision } from './domain/submit-retry-policy.js';
