import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { AnomalyRule, TimerOutcome, ValidateLeaseOutput } from '../../index.js';

/** What the gauges read at each scrape. */
export interface GaugeSources {
  outboxLag(): Promise<{ readonly pending: number; readonly oldestAgeMs: number }>;
  inventory(): Promise<readonly { readonly pool: string; readonly kind: string; readonly available: number; readonly total: number }[]>;
  /** Available and total short codes per vanity tier, across pools (retired ones not counted); no tier gauges without it. */
  shortCodes?(): Promise<readonly { readonly tier: string; readonly available: number; readonly total: number }[]>;
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
  readonly regulatorExportDuration: Histogram<'outcome'>;
  readonly regulatorExportFailures: Counter;
  readonly regulatorExportCompletedAt: Gauge;
  readonly reservationExpiries: Counter<'path'>;
  readonly reservationExpiryLateness: Histogram<'path'>;
  readonly reservationTimers: Counter<'outcome'>;
  readonly anomalySignals: Counter<'rule'>;
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
    this.regulatorExportDuration = new Histogram({
      name: 'numbering_regulator_export_duration_seconds',
      help: 'Time of a regulator export run (scheduled or requested), by outcome: exported, already_exported, refused or failed.',
      labelNames: ['outcome'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers,
    });
    this.regulatorExportFailures = new Counter({
      name: 'numbering_regulator_export_failures_total',
      help: 'Regulator export runs that failed (database, object store or signer fault); the ledger row of the month says why.',
      registers,
    });
    this.regulatorExportCompletedAt = new Gauge({
      name: 'numbering_regulator_export_completed_timestamp_seconds',
      help: 'When the last regulator export this instance ran or found completed was completed (Unix time).',
      registers,
    });
    this.reservationExpiries = new Counter({
      name: 'numbering_reservation_expiries_total',
      help: 'Reservations released at their TTL, by the path that released them: timer (cache expiry event) or safety_net (the every-minute job).',
      labelNames: ['path'],
      registers,
    });
    this.reservationExpiryLateness = new Histogram({
      name: 'numbering_reservation_expiry_lateness_seconds',
      help: 'How long after its TTL a reservation was released, by path (the TTL precision target is 2 s).',
      labelNames: ['path'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 15, 30, 60, 120, 600],
      registers,
    });
    this.reservationTimers = new Counter({
      name: 'numbering_reservation_timer_outcomes_total',
      help: 'Fired reservation TTL timers by outcome: expired, moved_on (the number had changed), rearmed (fired early), refused, failed.',
      labelNames: ['outcome'],
      registers,
    });
    this.anomalySignals = new Counter({
      name: 'numbering_anomaly_signals_total',
      help: 'Anomaly signals published for fraud intelligence, by rule crossed (a signal crossing both counts once for each).',
      labelNames: ['rule'],
      registers,
    });
  }

  /** A reservation released at its TTL by `path`, `lateMs` after it. */
  recordReservationExpiry(path: 'timer' | 'safety_net', lateMs: number): void {
    this.reservationExpiries.inc({ path });
    this.reservationExpiryLateness.observe({ path }, Math.max(0, lateMs) / 1000);
  }

  recordReservationTimer(outcome: TimerOutcome | 'failed'): void {
    const name = outcome === 'failed' ? 'failed' : outcome.outcome;
    this.reservationTimers.inc({ outcome: name });
    if (outcome !== 'failed' && outcome.outcome === 'expired') this.recordReservationExpiry('timer', outcome.lateMs);
  }

  recordAnomalySignal(rules: readonly AnomalyRule[]): void {
    for (const rule of rules) this.anomalySignals.inc({ rule });
  }

  recordValidateLease(output: ValidateLeaseOutput): void {
    const outcome = output.verdict.valid ? 'valid' : output.verdict.reason;
    this.validateLease.inc({ outcome, source: output.source, cache: output.cache });
  }

  recordCommand(command: string, outcome: string): void {
    this.commandOutcomes.inc({ command, outcome });
  }

  /** One regulator export run: its duration by outcome, a failure, and when a completed export was completed. */
  recordRegulatorExport(outcome: 'exported' | 'already_exported' | 'refused' | 'failed', seconds: number, completedAt?: Date | null): void {
    this.regulatorExportDuration.observe({ outcome }, seconds);
    if (outcome === 'failed') this.regulatorExportFailures.inc();
    if (completedAt != null) this.regulatorExportCompletedAt.set(completedAt.getTime() / 1000);
  }

  recordAuditVerification(intact: boolean, at: Date): void {
    this.auditChainBroken.set(intact ? 0 : 1);
    this.auditVerifiedAt.set(at.getTime() / 1000);
  }

  /**
   * Gauges computed from the database and the relay when scraped. The inventory counts are read at most once
   * per `inventoryMaxAgeMs` (default 15 s) and shared by every gauge built on them, so frequent scrapes (or
   * several Prometheus servers) do not each run the counting queries. Every replica exports the same counts:
   * the alert rules aggregate them with `max by (pool, kind)`, never `sum` across instances.
   */
  observe(sources: GaugeSources, options: { readonly inventoryMaxAgeMs?: number } = {}): void {
    const registers = this.registers;
    const maxAgeMs = options.inventoryMaxAgeMs ?? 15_000;
    const inventoryCounts = latest(() => sources.inventory(), maxAgeMs);
    const readShortCodes = sources.shortCodes?.bind(sources);
    const shortCodeCounts = readShortCodes === undefined ? null : latest(readShortCodes, maxAgeMs);
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
      for (const row of await inventoryCounts()) gauge.set({ pool: row.pool, kind: row.kind }, row[pick]);
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
    if (shortCodeCounts !== null) this.observeShortCodes(shortCodeCounts);
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

  private observeShortCodes(counts: () => Promise<readonly { readonly tier: string; readonly available: number; readonly total: number }[]>): void {
    const registers = this.registers;
    const shortCodes = async (pick: 'available' | 'total', gauge: Gauge<'tier'>): Promise<void> => {
      gauge.reset();
      for (const row of await counts()) gauge.set({ tier: row.tier }, row[pick]);
    };
    new Gauge({
      name: 'numbering_short_codes_available',
      help: 'Short codes available to reserve, per vanity tier, across all inventory pools.',
      labelNames: ['tier'],
      registers,
      async collect() {
        await shortCodes('available', this);
      },
    });
    new Gauge({
      name: 'numbering_short_codes',
      help: 'Short codes in the inventory (not retired), per vanity tier, across all inventory pools.',
      labelNames: ['tier'],
      registers,
      async collect() {
        await shortCodes('total', this);
      },
    });
  }
}

/**
 * The result of `read`, read again only once it is older than `maxAgeMs`; concurrent callers share one read,
 * and a failed read is not kept (the next call reads again).
 */
export function latest<T>(read: () => Promise<T>, maxAgeMs: number, now: () => number = Date.now): () => Promise<T> {
  let cached: { readonly at: number; readonly value: Promise<T> } | null = null;
  return () => {
    const at = now();
    if (cached !== null && at - cached.at < maxAgeMs) return cached.value;
    const value = read();
    const entry = { at, value };
    cached = entry;
    value.catch(() => {
      if (cached === entry) cached = null;
    });
    return value;
  };
}
