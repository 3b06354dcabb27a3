import { ok } from '@sms/kernel';
import type { Clock, IdGenerator } from '@sms/kernel';
import type { AnomalyDetectedEvent } from '../domain/number-events.js';
import { TenantAnomalyDetector } from '../domain/tenant-anomaly.js';
import type { AnomalyThresholds, TenantActivityKind, TenantAnomaly } from '../domain/tenant-anomaly.js';
import { envelopeOf } from './event-envelopes.js';
import type { UnitOfWork } from './ports/unit-of-work.port.js';
import type { TenantActivitySink } from './tenant-activity.js';

export interface TenantAnomalyMonitorDeps {
  /** A system-scope unit of work: the signal is written to the outbox and relayed like every event. */
  readonly unitOfWork: UnitOfWork;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly thresholds: AnomalyThresholds;
  /** Told each signal once it is in the outbox (metrics). */
  readonly onSignal?: (anomaly: TenantAnomaly) => void;
  /** Told when writing a signal failed (the database is down); the signal is then lost. */
  readonly onPublishFailed?: (error: unknown, anomaly: TenantAnomaly) => void;
}

/** The anomaly event of one detection. */
export function anomalyDetectedEvent(anomaly: TenantAnomaly, thresholds: AnomalyThresholds): AnomalyDetectedEvent {
  return {
    type: 'numbering.anomaly.detected.v1',
    data: {
      tenantId: anomaly.tenantId,
      rules: [...anomaly.rules],
      windowStart: anomaly.windowStart.toISOString(),
      windowEnd: anomaly.windowEnd.toISOString(),
      reservations: anomaly.reservations,
      releases: anomaly.releases,
      conflicts: anomaly.conflicts,
      attempts: anomaly.attempts,
      conflictRate: anomaly.conflictRate,
      thresholds: {
        windowSeconds: thresholds.windowMs / 1000,
        churnCycles: thresholds.churnCycles,
        conflictRate: thresholds.conflictRate,
        minAttempts: thresholds.minAttempts,
      },
    },
  };
}

/**
 * Watches reserve and release outcomes per tenant and publishes `numbering.anomaly.detected.v1` (for fraud
 * intelligence) when a tenant crosses a threshold of domain/tenant-anomaly.ts, at most once per tenant per
 * window. The window lives in this process: each replica judges the traffic it serves (docs/events.md).
 * Recording never waits for the write; {@link flush} waits for the writes under way (shutdown, tests).
 */
export class TenantAnomalyMonitor implements TenantActivitySink {
  private readonly detector: TenantAnomalyDetector;
  private readonly writing = new Set<Promise<void>>();

  constructor(private readonly deps: TenantAnomalyMonitorDeps) {
    this.detector = new TenantAnomalyDetector(deps.thresholds);
  }

  record(tenantId: string, kind: TenantActivityKind): void {
    const anomaly = this.detector.record(tenantId, kind, this.deps.clock.now());
    if (anomaly === null) return;
    const write = this.publish(anomaly).finally(() => this.writing.delete(write));
    this.writing.add(write);
  }

  async flush(): Promise<void> {
    await Promise.all([...this.writing]);
  }

  private async publish(anomaly: TenantAnomaly): Promise<void> {
    const event = anomalyDetectedEvent(anomaly, this.detector.thresholds);
    try {
      await this.deps.unitOfWork.run(async (tx) => {
        await tx.outbox.add([envelopeOf(event, { type: 'tenant', id: anomaly.tenantId }, this.deps.ids, this.deps.clock.now())]);
        return ok(undefined);
      });
      this.deps.onSignal?.(anomaly);
    } catch (error) {
      this.deps.onPublishFailed?.(error, anomaly);
    }
  }
}
