import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

export type DecisionOutcome = 'route' | 'no_route' | 'no_operator_available' | 'table_not_loaded';

/** The routing engine's own metrics (docs/observability.md), registered on the service's registry. */
export class RoutingMetrics {
  readonly decisions: Counter<'outcome' | 'via'>;
  readonly decisionSeconds: Histogram<'outcome'>;
  readonly skippedOperators: Counter<'reason'>;
  readonly events: Counter<'type' | 'outcome'>;
  readonly reloadFailures: Counter;
  readonly ruleSetVersion: Gauge;
  readonly tableLoaded: Gauge;

  constructor(registry: Registry) {
    this.decisions = new Counter({
      name: 'routing_decisions_total',
      help: 'Route resolutions by outcome; via = rule (the tier target) or failover for answered routes, none otherwise',
      labelNames: ['outcome', 'via'],
      registers: [registry],
    });
    this.decisionSeconds = new Histogram({
      name: 'routing_decision_duration_seconds',
      help: 'Time to resolve a route from the in-memory table (excludes HTTP and JSON)',
      labelNames: ['outcome'],
      buckets: [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01],
      registers: [registry],
    });
    this.skippedOperators = new Counter({
      name: 'routing_skipped_operators_total',
      help: 'Operators named by matching rules but left out of a decision, by reason',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.events = new Counter({
      name: 'routing_events_total',
      help: 'operator-management events consumed, by type and outcome (applied, ignored as old or repeated, rejected as malformed)',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    });
    this.reloadFailures = new Counter({
      name: 'routing_state_reload_failures_total',
      help: 'Periodic reloads of the stored routing state that failed',
      registers: [registry],
    });
    this.ruleSetVersion = new Gauge({
      name: 'routing_rule_set_version',
      help: 'Version of the rule set the in-memory table was built from (-1 before the first)',
      registers: [registry],
    });
    this.tableLoaded = new Gauge({
      name: 'routing_table_loaded',
      help: '1 when a routing table is loaded, 0 before the first rule set',
      registers: [registry],
    });
    this.ruleSetVersion.set(-1);
    this.tableLoaded.set(0);
  }
}
