import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

/** The gateway's Prometheus metrics (docs/observability.md). Labels carry ids and codes, never MSISDNs. */
export class SmppMetrics {
  readonly submitResponses: Counter<'connection' | 'status'>;
  readonly submitLatency: Histogram<'connection'>;
  readonly bindUp: Gauge<'connection' | 'operator'>;
  readonly bindChanges: Counter<'connection' | 'state'>;
  readonly outbound: Counter<'outcome'>;
  readonly receipts: Counter<'outcome'>;

  constructor(registry: Registry) {
    this.submitResponses = new Counter({
      name: 'smpp_submit_responses_total',
      help: 'submit_sm responses by connection and command_status (hex); 0x58 throttled, 0x14 queue full',
      labelNames: ['connection', 'status'],
      registers: [registry],
    });
    this.submitLatency = new Histogram({
      name: 'smpp_submit_response_seconds',
      help: 'Time from sending submit_sm to its response',
      labelNames: ['connection'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    this.bindUp = new Gauge({ name: 'smpp_bind_up', help: '1 while the bind is up', labelNames: ['connection', 'operator'], registers: [registry] });
    this.bindChanges = new Counter({ name: 'smpp_bind_state_changes_total', help: 'Bind state changes', labelNames: ['connection', 'state'], registers: [registry] });
    this.outbound = new Counter({
      name: 'smpp_outbound_messages_total',
      help: 'Outbound requests handled, by outcome (submitted, already-submitted, failed, deferred)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.receipts = new Counter({
      name: 'smpp_delivery_receipts_total',
      help: 'Delivery receipts by outcome (reported, part-recorded, intermediate, duplicate, unmatched, unreadable, error)',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }
}
