// The gRPC contract of numbering-service (packages/contracts/proto/numbering.proto and its typed client).
export { createNumberingClient, NumberingCallError, numberingServiceDefinition } from '@sms/contracts';
export type { NumberingClient, NumberingHandlers, ValidateLeaseRequest__Output, ValidateLeaseResponse } from '@sms/contracts';
