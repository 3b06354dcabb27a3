import { OutboxRelay } from './outbox-relay.js';
import type { OutboxRelayOptions } from './outbox-relay.js';

export type ConcurrentOutboxRelayOptions<DB> = Omit<OutboxRelayOptions<DB>, 'publishing'>;

/**
 * An {@link OutboxRelay} publishing each batch concurrently across aggregates and in order within each
 * (`publishing: 'per-aggregate'`), with defaults for a busy outbox without the NOTIFY trigger: batches of 500,
 * a poll every 20 ms. The orchestrator writes three events per message; serial publishing capped it at
 * 1 / publish latency events per second (docs/benchmarks.md).
 */
export class ConcurrentOutboxRelay<DB> extends OutboxRelay<DB> {
  constructor(options: ConcurrentOutboxRelayOptions<DB>) {
    super({ batchSize: 500, pollIntervalMs: 20, ...options, publishing: 'per-aggregate' });
  }
}
