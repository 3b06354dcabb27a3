// The gRPC contract of numbering-service (packages/contracts/proto/numbering.proto and its typed client).
export {
  NUMBERING_ERROR_CODE_KEY,
  NUMBERING_ERROR_FIELD_KEY,
  NUMBERING_PROTO_FILE,
  NUMBERING_PROTO_OPTIONS,
  NumberingCallError,
  createNumberingClient,
  loadNumberingProto,
  numberingServiceDefinition,
} from '@sms/contracts';
export type {
  AssignRequest__Output,
  LookupRequest__Output,
  LookupResponse,
  NumberResponse,
  NumberView,
  NumberingCallOptions,
  NumberingClient,
  NumberingHandlers,
  PublicNumberView,
  RecallRequest__Output,
  ReleaseRequest__Output,
  ReserveRequest__Output,
  ValidateLeaseRequest__Output,
  ValidateLeaseResponse,
} from '@sms/contracts';
