export { createRoutingEngineService, routingEngineService } from './service.js';
export type {
  BindMode,
  BindState,
  ConnectionHealth,
  HealthState,
  OperatorConnection,
  OperatorHealth,
  OperatorSnapshot,
  RouteDecision,
  RouteQuery,
  RouteTarget,
  RoutingRule,
  RuleSet,
  SenderType,
  SkippedOperator,
  SkipReason,
  TimeWindow,
  Weekday,
} from './domain/routing-model.js';
export { SENDER_TYPES, WEEKDAYS } from './domain/routing-model.js';
export { RoutingTable, weightedOrder, weightedPick } from './domain/routing-table.js';
export type { RandomSource } from './domain/routing-table.js';
export { isWithinWindow, localTimeIn, minuteOfDay } from './domain/time-window.js';
export { EMPTY_ROUTING_STATE, isNewerHealth, isNewerOperator, isNewerRuleSet } from './domain/routing-state.js';
export type { RoutingState } from './domain/routing-state.js';
export { routingErrors } from './domain/routing-errors.js';
export type { RoutingErrorCode } from './domain/routing-errors.js';
export { RoutingProjection } from './application/routing-projection.js';
export type { ApplyOutcome, RoutingTableSource } from './application/routing-projection.js';
export { ResolveRoute } from './application/resolve-route.use-case.js';
export type { ResolveRouteError, ResolveRouteInput, ResolvedRoute } from './application/resolve-route.use-case.js';
export type { RoutingStateRepository } from './application/ports/routing-state.repository.port.js';
