import { Counter, Gauge, type Registry } from 'prom-client';
import type { Result } from '@sms/kernel';
import type { HealthState } from '../../domain/operator-health.js';
import type { OpsError } from '../../domain/operator-management-errors.js';
import type { IngestHealthReportResult } from '../../application/ingest-health-report.use-case.js';

const HEALTH_STATES: readonly HealthState[] = ['up', 'degraded', 'down'];

/** Where the gauges read their values at scrape time (docs/observability.md). */
export interface OpsMetricSources {
  /** Every live operator and its current state (null before the first report). */
  operatorStates(): Promise<ReadonlyArray<{ readonly operatorId: string; readonly code: string; readonly state: HealthState | null }>>;
  /** The newest report of any live operator; null when none was ever received. */
  lastReportAt(): Promise<Date | null>;
  /** Resolves when the secret store answers. */
  pingSecretStore(): Promise<void>;
  outboxLag(): Promise<{ readonly pending: number; readonly oldestAgeMs: number }>;
  /** Daily health log partitions existing after today's. */
  partitionsAheadDays(): Promise<number>;
}

/**
 * The service's own Prometheus metrics, on the registry the runtime gives it. Counters are
 * incremented where things happen; gauges are read from their sources at scrape time, so every
 * replica reports the same values from the database (alert on `max`).
 */
export class OpsMetrics {
  readonly healthReports: Counter<'source' | 'outcome'>;
  readonly healthStateChanges: Counter<'state'>;
  readonly credentialRequests: Counter<'outcome'>;
  readonly healthSweeps: Counter<'outcome'>;
  readonly partitionMaintenance: Counter<'outcome'>;
  readonly partitionMaintenanceLastSuccess: Gauge;

  constructor(registry: Registry, sources: () => OpsMetricSources | null) {
    const registers = [registry];
    const withSources = async (collect: (s: OpsMetricSources) => Promise<void>): Promise<void> => {
      const s = sources();
      if (s === null) return;
      // A failing source must not break the whole scrape; the gauge just keeps its last value.
      await collect(s).catch(() => undefined);
    };

    this.healthReports = new Counter({
      name: 'ops_health_reports_total',
      help: 'Health reports received, by source (http, nats) and outcome (applied, ignored, or the error code)',
      labelNames: ['source', 'outcome'],
      registers,
    });
    this.healthStateChanges = new Counter({
      name: 'ops_health_state_changes_total',
      help: 'Operator health state changes (each one published as ops.operator-health.changed.v1), by new state',
      labelNames: ['state'],
      registers,
    });
    this.credentialRequests = new Counter({
      name: 'ops_credential_requests_total',
      help: 'Requests for connection credentials, by outcome (granted, or the error code: OPS.CREDENTIALS_FORBIDDEN, …)',
      labelNames: ['outcome'],
      registers,
    });
    this.healthSweeps = new Counter({
      name: 'ops_health_sweeps_total',
      help: 'Runs of the stale-health sweep, by outcome (ok, failed)',
      labelNames: ['outcome'],
      registers,
    });
    this.partitionMaintenance = new Counter({
      name: 'ops_health_log_partition_maintenance_total',
      help: 'Runs of the health log partition maintenance, by outcome (ok, failed)',
      labelNames: ['outcome'],
      registers,
    });
    this.partitionMaintenanceLastSuccess = new Gauge({
      name: 'ops_health_log_partition_maintenance_last_success_timestamp_seconds',
      help: 'When the health log partition maintenance last succeeded (Unix time)',
      registers,
    });

    new Gauge({
      name: 'ops_operator_health_state',
      help: 'Current health of each live operator: 1 for its state, 0 for the others (no series before the first report)',
      labelNames: ['operator_id', 'operator_code', 'state'],
      registers,
      async collect() {
        await withSources(async (s) => {
          const states = await s.operatorStates();
          this.reset();
          for (const { operatorId, code, state } of states) {
            if (state === null) continue;
            for (const candidate of HEALTH_STATES) {
              this.set({ operator_id: operatorId, operator_code: code, state: candidate }, candidate === state ? 1 : 0);
            }
          }
        });
      },
    });
    new Gauge({
      name: 'ops_health_report_last_received_timestamp_seconds',
      help: 'Time of the newest health report of any live operator (Unix time); absent before the first',
      registers,
      async collect() {
        await withSources(async (s) => {
          const at = await s.lastReportAt();
          if (at === null) this.reset();
          else this.set(at.getTime() / 1000);
        });
      },
    });
    new Gauge({
      name: 'ops_secret_store_up',
      help: '1 when the secret store (Vault, or the local encrypted store) answers, 0 otherwise',
      registers,
      async collect() {
        const s = sources();
        if (s === null) return;
        this.set(
          await s.pingSecretStore().then(
            () => 1,
            () => 0,
          ),
        );
      },
    });
    new Gauge({
      name: 'ops_outbox_pending_events',
      help: 'Events in ops.outbox not yet published to the bus',
      registers,
      async collect() {
        await withSources(async (s) => this.set((await s.outboxLag()).pending));
      },
    });
    new Gauge({
      name: 'ops_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest unpublished event in ops.outbox (0 when none)',
      registers,
      async collect() {
        await withSources(async (s) => this.set((await s.outboxLag()).oldestAgeMs / 1000));
      },
    });
    new Gauge({
      name: 'ops_health_log_partitions_ahead_days',
      help: 'Daily partitions of ops.operator_health_log that exist after today’s',
      registers,
      async collect() {
        await withSources(async (s) => this.set(await s.partitionsAheadDays()));
      },
    });
  }

  /** Counts one ingested report (and a state change when it made one). */
  recordHealthReport(source: 'http' | 'nats', result: Result<IngestHealthReportResult, OpsError>): void {
    if (!result.ok) {
      this.healthReports.inc({ source, outcome: result.error.code });
      return;
    }
    this.healthReports.inc({ source, outcome: result.value.outcome });
    if (result.value.stateChanged) this.healthStateChanges.inc({ state: result.value.state });
  }
}
