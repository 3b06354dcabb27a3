import type { FieldError } from '../domain/field-error.js';
import type { MessageEncoding } from '../domain/segmentation.js';

/**
 * What `POST /v1/sms/send` answers (202). Plain JSON values only, because the idempotency store
 * keeps it and replays it byte for byte.
 */
export interface SubmitMessageOutput {
  readonly messageId: string;
  readonly status: 'accepted';
  readonly encoding: MessageEncoding;
  readonly segments: number;
  readonly clientReference: string | null;
  /** ISO-8601. */
  readonly acceptedAt: string;
}

export type BulkItemOutput =
  | {
      readonly index: number;
      readonly to: string;
      readonly status: 'accepted';
      readonly messageId: string;
      readonly encoding: MessageEncoding;
      readonly segments: number;
    }
  | { readonly index: number; readonly to: string; readonly status: 'rejected'; readonly errors: readonly FieldError[] };

/** What `POST /v1/sms/bulk` answers: one entry per item, in the client's order. */
export interface SubmitBulkOutput {
  readonly acceptedCount: number;
  readonly rejectedCount: number;
  readonly items: readonly BulkItemOutput[];
}

/** A stored response, tagged with the endpoint that produced it. */
export type IdempotentResponse =
  | { readonly operation: 'send'; readonly output: SubmitMessageOutput }
  | { readonly operation: 'bulk'; readonly output: SubmitBulkOutput };
