import type { RoutingRuleRepository } from './ports/routing-rule.repository.port.js';
import { toRuleSetView, type RoutingRuleSetView } from './views.js';

/** The current routing rule set and its version (version 0, no rules, before the first replacement). */
export class GetRoutingRules {
  constructor(private readonly deps: { readonly routingRules: RoutingRuleRepository }) {}

  async execute(): Promise<RoutingRuleSetView> {
    return toRuleSetView(await this.deps.routingRules.current());
  }
}
