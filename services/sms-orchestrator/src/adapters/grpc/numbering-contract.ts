// The gRPC contract of numbering-service (packages/contracts/proto/numbering.proto and its typed
// client). @sms/contracts does not export its grpc module from its index yet, so this one module
// reaches it by path; when it does, this becomes `from '@sms/contracts'` and nothing else changes.
export { createNumberingClient, NumberingCallError, numberingServiceDefinition } from '../../../../../packages/contracts/src/grpc/numbering.js';
export type { NumberingClient, NumberingHandlers, ValidateLeaseRequest__Output, ValidateLeaseResponse } from '../../../../../packages/contracts/src/grpc/numbering.js';
