import { z } from 'zod';
import { SENDER_TYPES } from '../../domain/routing-model.js';

/**
 * Body of `POST /v1/routes/resolve`, as the orchestrator sends it (its Pact:
 * services/sms-orchestrator/pacts/sms-orchestrator-routing-engine.json). `message_id` and
 * `segments` are accepted for correlation and future use; routing does not depend on them.
 * Unknown members are ignored.
 */
export const resolveRouteBody = z
  .object({
    tenant_id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, '1–128 of A-Z a-z 0-9 . _ : -, starting with a letter or digit')
      .describe('The tenant sending the message (tenant-specific rules apply to it only)'),
    destination: z
      .string()
      .regex(/^\+?[1-9][0-9]{5,14}$/, 'an E.164 number: an optional +, then 6 to 15 digits, the first not 0')
      .describe('E.164 destination number, e.g. +93791234567'),
    sender: z
      .object({
        kind: z.enum(SENDER_TYPES).describe('Kind of the sender address (rules may be limited to some kinds)'),
        value: z.string().max(32).optional().describe('The sender address; not used for routing'),
      })
      .describe('The sender of the message'),
    message_id: z.string().max(64).optional().describe('The message this route is for (logged for correlation)'),
    segments: z.number().int().min(1).max(255).optional().describe('SMS parts of the message; not used for routing yet'),
    at: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('Instant to route for (time-window rules); the engine clock when absent'),
  })
  .describe('Which operator and connection should carry a message');

const target = z.object({
  operator_id: z.uuid(),
  connection_id: z.uuid(),
  rule_id: z.string().describe('The rule that brought this operator in'),
  via: z.enum(['rule', 'failover']).describe('rule: a matching rule targets the operator; failover: it came from a failover list'),
});

export const resolvedRouteView = target
  .extend({
    failover: z
      .array(target)
      .describe('The other usable operators, in the order to try them if the chosen one refuses the message'),
    rule_set_version: z.number().int().describe('Version of the rule set the answer came from'),
  })
  .describe('The chosen operator and connection');

export type ResolveRouteBody = z.infer<typeof resolveRouteBody>;
