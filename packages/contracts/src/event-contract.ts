/**
 * One produced event: its versioned type name (`<domain>.<entity>.<verb>.v<N>`), the NATS subject it
 * is published on, the service that produces it, and the JSON Schema (draft 2020-12) of its `data`.
 */
export interface EventContract {
  readonly type: string;
  readonly subject: string;
  readonly producer: string;
  readonly description: string;
  readonly schema: Readonly<Record<string, unknown>>;
  /** A valid example of `data`; the conformance test checks it against the schema. */
  readonly example: Readonly<Record<string, unknown>>;
}
