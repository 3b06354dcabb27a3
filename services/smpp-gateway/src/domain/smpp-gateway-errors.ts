import { defineErrors } from '@sms/kernel';

/**
 * The gateway's error codes, as they appear in `errorCode` of `sms.delivery.status.v1` (the gateway
 * has no HTTP API; the status is what the orchestrator would answer if it surfaced one). Besides
 * these, a refused submit is reported as `SMPP.0x<command_status>` (hex, two digits at least), the
 * SMSC's own code — see docs/errors.md.
 */
export const smppGatewayErrors = defineErrors({
  'SMPP.UNDELIVERABLE': { title: 'Undeliverable', status: 502, cause: 'The delivery receipt said UNDELIV: the network could not deliver the message.' },
  'SMPP.EXPIRED': { title: 'Expired at the SMSC', status: 504, cause: 'The delivery receipt said EXPIRED: the validity period ended before delivery.' },
  'SMPP.REJECTED': { title: 'Rejected by the SMSC', status: 502, cause: 'The delivery receipt said REJECTD.' },
  'SMPP.DELETED': { title: 'Deleted at the SMSC', status: 502, cause: 'The delivery receipt said DELETED: the SMSC or an operator removed the message.' },
  'SMPP.UNKNOWN_STATE': { title: 'Unknown final state', status: 502, cause: 'The delivery receipt said UNKNOWN.' },
  'SMPP.VALIDITY_ELAPSED': { title: 'Validity ended before submission', status: 504, cause: 'The message reached the gateway after its validity period ended; it was not sent.' },
  'SMPP.ENCODING': {
    title: 'Body not encodable',
    status: 422,
    cause: 'The body has a character outside GSM-7 while the request said GSM-7, or needs more than 255 parts.',
  },
  'SMPP.THROTTLED': {
    title: 'Throttled by the SMSC',
    status: 503,
    cause: 'The SMSC answered ESME_RTHROTTLED, ESME_RMSGQFUL or ESME_RSYSERR through every resubmission; the request goes back to the bus (never reported as a status).',
  },
  'SMPP.UNAVAILABLE': {
    title: 'No bind available',
    status: 503,
    cause: 'No bind came up in time, or the bind dropped while a response was due; the request goes back to the bus (never reported as a status).',
  },
});

export type SmppGatewayErrorCode = keyof typeof smppGatewayErrors;
