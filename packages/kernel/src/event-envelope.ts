/**
 * Every event on the bus travels in this envelope. `type` follows
 * `<domain>.<entity>.<verb>.v<N>` and names the JSON Schema of `data` in the contracts package.
 */
export interface EventEnvelope<TData = unknown> {
  /** Unique event id; also the `Nats-Msg-Id`, so the broker drops a second publish of the same event. */
  readonly id: string;
  readonly type: string;
  /** The aggregate the event is about; events of one aggregate are published in order. */
  readonly aggregateType: string;
  readonly aggregateId: string;
  /** Tenant that owns the aggregate, when it has one. */
  readonly tenantId: string | null;
  /** ISO-8601 instant the state change happened. */
  readonly occurredAt: string;
  readonly data: TData;
}

const EVENT_TYPE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+\.v[1-9][0-9]*$/;

/** True when the name follows `<domain>.<entity>.<verb>.v<N>`. */
export const isValidEventType = (type: string): boolean => EVENT_TYPE.test(type);
