import { performance } from 'node:perf_hooks';
import type { Clock, Result } from '@sms/kernel';
import type { Logger } from '@sms/logging';
import type { ObjectStore } from '@sms/object-store';
import { GetRegulatorExport, previousExportMonth, RunRegulatorExport } from '../index.js';
import type { Actor, NumberingError, RegulatorExportRecord, RegulatorExportSigner, RunRegulatorExportOutput } from '../index.js';
import { ObjectStoreRegulatorExportArchive } from '../adapters/object-store/object-store-regulator-export.archive.js';
import type { NumberingMetrics } from '../adapters/observability/numbering-metrics.js';
import type { NumberingDb, Runner } from '../adapters/postgres/numbering-scope.js';
import { PostgresRegulatorExportLedger } from '../adapters/postgres/postgres-regulator-export.ledger.js';
import { PostgresRegulatorExportSource } from '../adapters/postgres/postgres-regulator-export.source.js';
import type { ScheduledJob } from '../adapters/postgres/postgres-job.scheduler.js';
import { JOB_NAMES, SCHEDULER_ACTOR } from './numbering-jobs.js';

const HOUR_MS = 3_600_000;

export interface RegulatorExportOptions {
  readonly db: NumberingDb;
  /** Database work in the system scope. */
  readonly run: Runner;
  readonly schema: string;
  /** The platform's object store, resolved on first use (`context.infra.objectStore`). */
  readonly objectStore: () => ObjectStore;
  readonly signer: RegulatorExportSigner;
  readonly clock: Clock;
  readonly metrics: NumberingMetrics;
  readonly logger: Logger;
  /** Default 7. */
  readonly retentionYears?: number;
  /** How often the job looks for last month's export (default hourly). */
  readonly intervalMs?: number;
  /** How long after a month ends the job waits before exporting it (default 1 h: late commits settle). */
  readonly settleMs?: number;
  readonly pageSize?: number;
}

/** The regulator export as the service runs it: measured runs (HTTP and the job go through them) and the monthly job. */
export interface RegulatorExportRuntime {
  run(actor: Actor, month: string): Promise<Result<RunRegulatorExportOutput, NumberingError>>;
  get(actor: Actor, month: string): Promise<Result<RegulatorExportRecord, NumberingError>>;
  readonly job: ScheduledJob;
}

/**
 * Wires the export (docs/regulator-export.md): Postgres source and ledger, the object-store archive, the
 * signer; every run records `numbering_regulator_export_duration_seconds` and, when it throws,
 * `numbering_regulator_export_failures_total` (NumberingRegulatorExportFailed). The job runs hourly under
 * the scheduler's advisory lock and exports the previous month once it has ended (plus the settle time):
 * on day 1, and every following hour until it succeeds; after that each tick finds the month completed.
 */
export function createRegulatorExport(options: RegulatorExportOptions): RegulatorExportRuntime {
  const { clock, metrics, logger } = options;
  const ledger = new PostgresRegulatorExportLedger({ db: options.db, run: options.run, schema: options.schema });
  const useCase = new RunRegulatorExport({
    source: new PostgresRegulatorExportSource(options.run, options.schema),
    ledger,
    archive: new ObjectStoreRegulatorExportArchive(options.objectStore),
    signer: options.signer,
    clock,
    ...(options.retentionYears === undefined ? {} : { retentionYears: options.retentionYears }),
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
  });
  const getter = new GetRegulatorExport({ ledger });
  const settleMs = options.settleMs ?? HOUR_MS;

  const run = async (actor: Actor, month: string): Promise<Result<RunRegulatorExportOutput, NumberingError>> => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const result = await useCase.execute({ actor, month });
      if (result.ok) {
        metrics.recordRegulatorExport(result.value.outcome, seconds(), result.value.export.completedAt);
        logger.info(
          { month, outcome: result.value.outcome, attempts: result.value.export.attempts, manifestSha256: result.value.export.manifestSha256 },
          'regulator export run',
        );
      } else {
        metrics.recordRegulatorExport('refused', seconds());
      }
      return result;
    } catch (error) {
      metrics.recordRegulatorExport('failed', seconds());
      logger.error({ err: error, month }, 'regulator export failed');
      throw error;
    }
  };

  const job: ScheduledJob = {
    name: JOB_NAMES.regulatorExport,
    intervalMs: options.intervalMs ?? HOUR_MS,
    async run(now) {
      const month = previousExportMonth(now);
      if (now.getTime() < month.to.getTime() + settleMs) return 0;
      const result = await run(SCHEDULER_ACTOR, month.month);
      if (result.ok) return result.value.outcome === 'exported' ? 1 : 0;
      // Another replica or a request is exporting the month: nothing to do on this tick.
      if (result.error.code === 'NUMBERING.EXPORT_IN_PROGRESS') return 0;
      throw new Error(`regulator export of ${month.month} refused: ${result.error.code}`);
    },
  };

  return { run, get: (actor, month) => getter.execute({ actor, month }), job };
}
