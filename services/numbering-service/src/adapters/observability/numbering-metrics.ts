import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { ValidateLeaseOutput } from '../../index.js';

/** What the gauges read at each scrape. */
export interface GaugeSources {
  outboxLag(): Promise<{ readonly pending: number; readonly oldestAgeMs: number }>;
  inventory(): Promise<readonly { readonly pool: string; readonly kind: string; readonly available: number; readonly total: number }[]>;
  /** Reservations past their TTL and quarantines past their cool-off that the sweeps have not handled yet. */
  overdue(): Promise<{ readonly reservations: number; readonly quarantines: number }>;
}

/**
 * The service's own Prometheus metrics (the HTTP layer adds `http_request_duration_seconds`). Names are
 * what deploy/prometheus/numbering-service.rules.yml alerts on (docs/observability.md).
 */
export class NumberingMetrics {
  readonly grpcRequests: Counter<'method' | 'code'>;
  readonly grpcDuration: Histogram<'method'>;
  readonly validateLease: Counter<'outcome' | 'source' | 'cache'>;
  readonly commandOutcomes: Counter<'command' | 'outcome'>;
  readonly auditChainBroken: Gauge;
  readonly auditVerifiedAt: Gauge;
  readonly jobRuns: Counter<'job' | 'outcome'>;
  readonly leaseRenewalFailures: Counter;
  private readonly registers: Registry[];

  constructor(registry?: Registry) {
    this.registers = registry === undefined ? [] : [registry];
    const registers = this.registers;
    this.grpcRequests = new Counter({
      name: 'numbering_grpc_requests_total',
      help: 'gRPC calls answered, by method and gRPC status code name.',
      labelNames: ['method', 'code'],
      registers,
    });
    this.grpcDuration = new Histogram({
      name: 'numbering_grpc_request_duration_seconds',
      help: 'Time to answer a gRPC call, by method.',
      labelNames: ['method'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.validateLease = new Counter({
      name: 'numbering_validate_lease_total',
      help: 'ValidateLease answers: outcome (valid or the refusal reason), where the answer came from, and what the cache did.',
      labelNames: ['outcome', 'source', 'cache'],
      registers,
    });
    this.commandOutcomes = new Counter({
      name: 'numbering_command_outcomes_total',
      help: 'State-changing commands by command and outcome (ok or the error code); NUMBERING.CONFLICT counts lost compare-and-swap races.',
      labelNames: ['command', 'outcome'],
      registers,
    });
    this.auditChainBroken = new Gauge({
      name: 'numbering_audit_chain_broken',
      help: '1 when the last verification of the audit chain found a broken row, 0 when it was intact.',
      registers,
    });
    this.auditVerifiedAt = new Gauge({
      name: 'numbering_audit_chain_verified_timestamp_seconds',
      help: 'When the audit chain was last verified (Unix time).',
      registers,
    });
    this.jobRuns = new Counter({
      name: 'numbering_job_runs_total',
      help: 'Scheduled job attempts by job and outcome: ran, skipped (another replica held the lock) or failed.',
      labelNames: ['job', 'outcome'],
      registers,
    });
    this.leaseRenewalFailures = new Counter({
      name: 'numbering_lease_renewal_failures_total',
      help: 'Leases due for auto-renewal that the renewal job could not renew (refused or failed).',
      registers,
    });
  }

  recordValidateLease(output: ValidateLeaseOutput): void {
    const outcome = output.verdict.valid ? 'valid' : output.verdict.reason;
    this.validateLease.inc({ outcome, source: output.source, cache: output.cache });
  }

  recordCommand(command: string, outcome: string): void {
    this.commandOutcomes.inc({ command, outcome });
  }

  recordAuditVerification(intact: boolean, at: Date): void {
    this.auditChainBroken.set(intact ? 0 : 1);
    this.auditVerifiedAt.set(at.getTime() / 1000);
  }

  /** Gauges computed at each scrape from the database and the relay. */
  observe(sources: GaugeSources): void {
    const registers = this.registers;
    new Gauge({
      name: 'numbering_outbox_pending_events',
      help: 'Events written to the outbox and not yet published.',
      registers,
      async collect() {
        this.set((await sources.outboxLag()).pending);
      },
    });
    new Gauge({
      name: 'numbering_outbox_oldest_age_seconds',
      help: 'Age of the oldest unpublished outbox event (0 when none).',
      registers,
      async collect() {
        this.set((await sources.outboxLag()).oldestAgeMs / 1000);
      },
    });
    const inventory = async (pick: 'available' | 'total', gauge: Gauge<'pool' | 'kind'>): Promise<void> => {
      gauge.reset();
      for (const row of await sources.inventory()) gauge.set({ pool: row.pool, kind: row.kind }, row[pick]);
    };
    new Gauge({
      name: 'numbering_inventory_available_numbers',
      help: 'Numbers available to reserve, per inventory pool and kind.',
      labelNames: ['pool', 'kind'],
      registers,
      async collect() {
        await inventory('available', this);
      },
    });
    new Gauge({
      name: 'numbering_inventory_numbers',
      help: 'Numbers in the inventory (not retired), per inventory pool and kind.',
      labelNames: ['pool', 'kind'],
      registers,
      async collect() {
        await inventory('total', this);
      },
    });
    new Gauge({
      name: 'numbering_overdue_reservations',
      help: 'Reservations past their TTL that the expiry sweep has not expired yet.',
      registers,
      async collect() {
        this.set((await sources.overdue()).reservations);
      },
    });
    new Gauge({
      name: 'numbering_overdue_quarantines',
      help: 'Quarantined numbers past their cool-off that the quarantine sweep has not returned yet.',
      registers,
      async collect() {
        this.set((await sources.overdue()).quarantines);
      },
    });
  }
}
