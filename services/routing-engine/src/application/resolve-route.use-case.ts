import type { Clock, Result } from '@sms/kernel';
import { err, ok } from '@sms/kernel';
import type { RouteQuery, RouteTarget, SkippedOperator } from '../domain/routing-model.js';
import type { RandomSource } from '../domain/routing-table.js';
import type { RoutingTableSource } from './routing-projection.js';

export interface ResolveRouteInput extends RouteQuery {
  /** The instant to route for (time windows); the clock's now when absent. */
  readonly at?: Date;
}

export interface ResolvedRoute {
  readonly operatorId: string;
  readonly connectionId: string;
  readonly ruleId: string;
  /** `rule` when the operator is a matching rule's own target, `failover` when it came from a failover list. */
  readonly via: 'rule' | 'failover';
  /** The other usable operators, in the order to try them. */
  readonly failover: readonly RouteTarget[];
  readonly ruleSetVersion: number;
  /** Operators ranked before or among these but left out, and why. */
  readonly skipped: readonly SkippedOperator[];
}

export type ResolveRouteError =
  | { readonly code: 'ROUTING.TABLE_NOT_LOADED' }
  | { readonly code: 'ROUTING.NO_ROUTE'; readonly ruleSetVersion: number }
  | { readonly code: 'ROUTING.NO_OPERATOR_AVAILABLE'; readonly ruleSetVersion: number; readonly skipped: readonly SkippedOperator[] };

/** Answers "which operator and connection for this destination" from the table in memory. */
export class ResolveRoute {
  constructor(
    private readonly deps: {
      readonly tables: RoutingTableSource;
      readonly clock: Clock;
      readonly random: RandomSource;
    },
  ) {}

  execute(input: ResolveRouteInput): Result<ResolvedRoute, ResolveRouteError> {
    const table = this.deps.tables.current();
    if (table === null) return err({ code: 'ROUTING.TABLE_NOT_LOADED' });
    const decision = table.resolve(
      { destination: input.destination, tenantId: input.tenantId, senderType: input.senderType },
      input.at ?? this.deps.clock.now(),
      this.deps.random,
    );
    switch (decision.outcome) {
      case 'route':
        return ok({
          operatorId: decision.target.operatorId,
          connectionId: decision.target.connectionId,
          ruleId: decision.target.ruleId,
          via: decision.target.via,
          failover: decision.failover,
          ruleSetVersion: decision.ruleSetVersion,
          skipped: decision.skipped,
        });
      case 'no-route':
        return err({ code: 'ROUTING.NO_ROUTE', ruleSetVersion: decision.ruleSetVersion });
      case 'unavailable':
        return err({ code: 'ROUTING.NO_OPERATOR_AVAILABLE', ruleSetVersion: decision.ruleSetVersion, skipped: decision.skipped });
    }
  }
}
