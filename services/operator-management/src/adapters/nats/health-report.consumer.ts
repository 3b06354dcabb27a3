import { PermanentHandlerError, type Bus, type DeliveredMessage, type Subscription } from '@sms/bus';
import type { Logger } from '@sms/logging';
import type { IngestHealthReport } from '../../application/ingest-health-report.use-case.js';
import type { OpsMetrics } from '../observability/ops-metrics.js';
import { healthReportBody } from '../http/schemas.js';

/** The subject the SMPP gateway publishes per-connection health reports on (without the deployment's prefix). */
export const HEALTH_REPORT_SUBJECT = 'ops.health.report';

/** Durable consumer name of the health ingest. */
export const HEALTH_REPORT_CONSUMER = 'operator-management-health-reports';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Consumes health reports from the bus: the payload is the same JSON as the body of
 * `POST /v1/health-reports`. A message that is not such a report is dead-lettered at once
 * (retrying cannot fix it). A report the use case refuses (unknown or deleted operator, unknown
 * connection, values out of range) is acknowledged, logged and counted: the gateway will send a
 * fresh one, and dead-lettering telemetry would only fill the dead-letter stream. Repeats are
 * harmless (the log stores a report once, current health ignores reports not newer than its own).
 */
export function startHealthReportConsumer(options: {
  readonly bus: Bus;
  readonly subject: string;
  readonly durable?: string;
  readonly ingest: () => IngestHealthReport;
  readonly metrics: OpsMetrics;
  readonly logger: Logger;
}): Promise<Subscription> {
  return options.bus.subscribe(
    { durable: options.durable ?? HEALTH_REPORT_CONSUMER, subjects: [options.subject], maxDeliver: 5, backoffMs: [500, 2000, 10_000] },
    async (message: DeliveredMessage) => {
      let json: unknown;
      try {
        json = JSON.parse(decoder.decode(message.payload));
      } catch {
        options.metrics.healthReports.inc({ source: 'nats', outcome: 'malformed' });
        throw new PermanentHandlerError(`health report ${message.msgId} is not UTF-8 JSON`);
      }
      const parsed = healthReportBody.safeParse(json);
      if (!parsed.success) {
        options.metrics.healthReports.inc({ source: 'nats', outcome: 'malformed' });
        const fields = parsed.error.issues.map((i) => i.path.join('.') || '$').join(', ');
        throw new PermanentHandlerError(`health report ${message.msgId} is malformed (${fields})`);
      }
      const result = await options.ingest().execute({ ...parsed.data, at: new Date(parsed.data.at) });
      options.metrics.recordHealthReport('nats', result);
      if (!result.ok) {
        options.logger.warn({ code: result.error.code, msg_id: message.msgId, operator_id: parsed.data.operatorId }, 'health report refused');
      }
    },
  );
}
