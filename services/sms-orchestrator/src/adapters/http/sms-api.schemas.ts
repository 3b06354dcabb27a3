import { z } from 'zod';
import { MAX_BULK_ITEMS } from '../../domain/bulk-submission.js';
import { MESSAGE_STATUSES } from '../../domain/message-status.js';

// Shape only (types, required fields, no unknown fields): the values are checked by the domain,
// which names every bad field with its own code. Both end up in one ORCH.VALIDATION_FAILED answer.

const to = z.string().describe('Destination MSISDN in E.164, e.g. +93791234567 (valid under libphonenumber metadata).');
const from = z.string().describe('Sender: an E.164 MSISDN or a 3-6 digit short code (no leading zero), leased to the tenant.');
const body = z.string().describe('Message text. GSM-7 when every character is in the GSM 03.38 alphabet, else UCS-2.');
const clientReference = z.string().describe('Your own reference, 1-64 characters; echoed in status events and callbacks.');
const validityPeriod = z
  .number()
  .describe('Seconds the message may wait for delivery, 60 to 259200 (72 h); default 86400.');
const callbackUrl = z.string().describe('Absolute https URL told about status changes; no credentials, no private address.');

export const sendRequestSchema = z
  .strictObject({
    to,
    from,
    body,
    client_reference: clientReference.optional(),
    validity_period: validityPeriod.optional(),
    callback_url: callbackUrl.optional(),
  })
  .describe('One SMS.');

const bulkMessagesSchema = z
  .strictObject({
    messages: z
      .array(sendRequestSchema)
      .describe(`Up to ${MAX_BULK_ITEMS} independent messages.`),
  })
  .describe('Many messages, each with its own fields.');

const bulkBroadcastSchema = z
  .strictObject({
    to: z.array(to).describe(`Up to ${MAX_BULK_ITEMS} recipients of the same message.`),
    from,
    body,
    client_reference: clientReference.optional(),
    validity_period: validityPeriod.optional(),
    callback_url: callbackUrl.optional(),
  })
  .describe('One body to many recipients.');

export const bulkRequestSchemas = { messages: bulkMessagesSchema, broadcast: bulkBroadcastSchema } as const;
export const bulkRequestSchema = z.union([bulkMessagesSchema, bulkBroadcastSchema]);

export const submitHeadersSchema = z.object({
  'x-tenant-id': z.string().describe('Your tenant id; must equal the tenant claim of the bearer token.'),
  'idempotency-key': z
    .string()
    .optional()
    .describe('1-255 visible ASCII characters. The same key and body within 48 h replays the first answer; another body with it is refused (422).'),
});

export const readHeadersSchema = z.object({
  'x-tenant-id': z.string().describe('Your tenant id; must equal the tenant claim of the bearer token.'),
});

const encoding = z.enum(['GSM-7', 'UCS-2']);
const publicStatus = z.enum(MESSAGE_STATUSES.filter((s) => s !== 'dead_lettered') as [string, ...string[]]);

const fieldErrorSchema = z.object({
  field: z.string().describe('The field as you sent it: to, messages[3].body, to[17], Idempotency-Key.'),
  code: z.string().describe('Stable code, e.g. ORCH.INVALID_DESTINATION.'),
  message: z.string(),
});

export const sendResponseSchema = z.object({
  message_id: z.string().describe('UUIDv7 of the message.'),
  status: z.literal('accepted'),
  encoding,
  segments: z.number().int().describe('Number of SMS parts the body needs.'),
  client_reference: z.string().nullable(),
  accepted_at: z.string().describe('ISO-8601.'),
});

const bulkAcceptedItem = z.object({
  index: z.number().int(),
  to: z.string(),
  status: z.literal('accepted'),
  message_id: z.string(),
  encoding,
  segments: z.number().int(),
});
const bulkRejectedItem = z.object({
  index: z.number().int(),
  to: z.string(),
  status: z.literal('rejected'),
  errors: z.array(fieldErrorSchema),
});

export const bulkResponseSchema = z.object({
  accepted_count: z.number().int(),
  rejected_count: z.number().int(),
  items: z.array(z.union([bulkAcceptedItem, bulkRejectedItem])).describe('One entry per message or recipient, in your order.'),
});

export const messageIdParamsSchema = z.object({
  id: z.uuid().describe('The message id returned by the submit call.'),
});

export const messageResponseSchema = z.object({
  message_id: z.string(),
  status: publicStatus.describe('accepted → routed → submitted → delivered | undelivered | expired | failed | rejected.'),
  to: z.string(),
  from: z.string(),
  from_type: z.enum(['msisdn', 'short_code']),
  encoding,
  segments: z.number().int(),
  client_reference: z.string().nullable(),
  validity_period: z.number().int(),
  callback_url: z.string().nullable(),
  error_code: z.string().nullable(),
  error_reason: z.string().nullable(),
  accepted_at: z.string(),
  updated_at: z.string(),
  expires_at: z.string(),
  history: z.array(
    z.object({
      status: publicStatus,
      at: z.string(),
      error_code: z.string().nullable(),
      reason: z.string().nullable(),
    }),
  ),
});

export type SendRequestBody = z.infer<typeof sendRequestSchema>;
export type BulkRequestBody = z.infer<typeof bulkRequestSchema>;
