import { z } from 'zod';
import { BIND_MODES } from '../../domain/smpp-connection.js';
import { BIND_STATES } from '../../domain/operator-health.js';
import { SENDER_TYPES } from '../../domain/routing-rule.js';
import { DAYS_OF_WEEK } from '../../domain/time-window.js';

// Request schemas check types only; the domain checks the rules (ranges, formats) and names each
// field in OPS.VALIDATION_FAILED, so the rules live in one place (docs/domain-model.md).

const bindMode = z.enum(BIND_MODES as ['transceiver', 'transmitter', 'receiver']);
const operatorKind = z.enum(['mno', 'aggregator']);
const settableStatus = z.enum(['active', 'suspended']);

export const connectionSettingsBody = z.object({
  host: z.string().describe('SMSC host: DNS name, IPv4 or IPv6 (no brackets)'),
  port: z.number().describe('1–65535'),
  systemId: z.string().describe('SMPP system_id, 1–15 printable ASCII characters'),
  systemType: z.string().default('').describe('SMPP system_type, at most 12 characters'),
  bindMode,
  tls: z.boolean().default(false),
  windowSize: z.number().default(10).describe('Submits in flight without a response, 1–1000'),
  throughputLimit: z.number().default(100).describe('Messages per second, 1–10000'),
});

const password = z
  .string()
  .describe('SMPP bind password, 1–8 printable ASCII characters. Stored in the secret store only; never returned (but by the credentials endpoint).');

export const newConnectionBody = connectionSettingsBody.extend({ password: password.nullable().optional() });

export const createOperatorBody = z.object({
  code: z.string().describe('2–32 characters: A–Z, 0–9, "-"; upper-cased'),
  name: z.string(),
  kind: operatorKind.optional(),
  mcc: z.string().nullable().describe('E.212 MCC, 3 digits (null only for an aggregator)'),
  mnc: z.string().nullable().describe('E.212 MNC, 2 or 3 digits, leading zeros kept'),
  country: z.string().optional().describe('ISO 3166-1 alpha-2; AF when absent'),
  status: settableStatus.optional(),
  prefixes: z.array(z.string()).optional().describe('E.164 digit prefixes of the operator’s numbers'),
  connections: z.array(newConnectionBody),
});

export const updateOperatorBody = z
  .object({
    code: z.string(),
    name: z.string(),
    kind: operatorKind,
    mcc: z.string().nullable(),
    mnc: z.string().nullable(),
    country: z.string(),
    prefixes: z.array(z.string()),
    status: settableStatus.describe('active ⇄ suspended; delete with DELETE'),
  })
  .partial();

export const updateConnectionBody = connectionSettingsBody
  .extend({ systemType: z.string(), tls: z.boolean(), windowSize: z.number(), throughputLimit: z.number() })
  .partial();

export const setPasswordBody = z.object({ password });

export const healthReportBody = z.object({
  operatorId: z.string(),
  connectionId: z.string(),
  bindState: z.enum(BIND_STATES as ['bound', 'unbound', 'binding']),
  latencyMs: z.number(),
  errorRate: z.number().describe('0–1'),
  throughputPerSecond: z.number(),
  at: z.iso.datetime({ offset: true }).describe('When the gateway measured it (at most 5 minutes ahead of our clock)'),
});

const timeWindow = z.object({
  days: z.array(z.enum(DAYS_OF_WEEK as ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])),
  start: z.string().describe('HH:mm'),
  end: z.string().describe('HH:mm or 24:00; at or before start runs past midnight'),
  timezone: z.string().describe('IANA zone, Asia/Kabul when absent'),
});
const senderType = z.enum(SENDER_TYPES as ['msisdn', 'short_code', 'alphanumeric']);

export const routingRuleBody = z.object({
  id: z.string(),
  prefixes: z.array(z.string()),
  tenantId: z.string().nullable().optional(),
  senderTypes: z.array(senderType).nullable().optional(),
  timeWindow: timeWindow.partial({ timezone: true }).nullable().optional(),
  operatorId: z.string(),
  priority: z.number().describe('Lower is tried first, 0–1000000'),
  weight: z.number().describe('Share within a weighted split, 1–1000000'),
  failover: z.array(z.string()).optional(),
});

export const replaceRoutingRulesBody = z.object({
  expectedVersion: z.number().int().min(0).describe('The version the caller read (0 before the first rule set)'),
  rules: z.array(routingRuleBody),
});

// Responses. None has a password member, but the credentials answer.

const authenticationView = z.object({
  configured: z.boolean().describe('A bind password is stored in the secret store'),
  version: z.number().int().nullable(),
  changedAt: z.string().nullable(),
});

export const connectionView = z.object({
  id: z.string(),
  host: z.string(),
  port: z.number().int(),
  systemId: z.string(),
  systemType: z.string(),
  bindMode,
  tls: z.boolean(),
  windowSize: z.number().int(),
  throughputLimit: z.number().int(),
  authentication: authenticationView,
});

export const operatorView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: operatorKind,
  mcc: z.string().nullable(),
  mnc: z.string().nullable(),
  country: z.string(),
  status: z.enum(['active', 'suspended', 'deleted']),
  prefixes: z.array(z.string()),
  connections: z.array(connectionView),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});

export const operatorPage = z.object({ items: z.array(operatorView), nextCursor: z.string().nullable() });

export const operatorChangeView = z.object({ operator: operatorView, changedFields: z.array(z.string()) });

export const deletionView = z.object({
  operatorId: z.string(),
  deletedAt: z.string(),
  alreadyDeleted: z.boolean(),
  storeCleanup: z.enum(['done', 'pending']).describe('pending: the secret store was down; deleting again retries the cleanup'),
});

export const connectionAddedView = z.object({ connectionId: z.string(), operator: operatorView });

export const connectionRemovedView = z.object({ operator: operatorView, storeCleanup: z.enum(['done', 'pending']) });

export const passwordSetView = z.object({
  operatorId: z.string(),
  connectionId: z.string(),
  authVersion: z.number().int(),
  changedAt: z.string(),
  rotated: z.boolean(),
});

export const credentialsView = z.object({
  operatorId: z.string(),
  connectionId: z.string(),
  systemId: z.string(),
  password: z.string(),
});

const connectionHealthView = z.object({
  connectionId: z.string(),
  bindState: z.enum(BIND_STATES as ['bound', 'unbound', 'binding']),
  latencyMs: z.number(),
  errorRate: z.number(),
  throughputPerSecond: z.number(),
  reportedAt: z.string(),
});

export const operatorHealthView = z.object({
  operatorId: z.string(),
  state: z.enum(['up', 'degraded', 'down', 'unknown']),
  reason: z.string(),
  stateChangedAt: z.string().nullable(),
  lastReportAt: z.string().nullable(),
  connections: z.array(connectionHealthView),
});

export const operatorHealthList = z.object({ items: z.array(operatorHealthView) });

export const healthIngestView = z.object({
  operatorId: z.string(),
  state: z.enum(['up', 'degraded', 'down']),
  stateChanged: z.boolean(),
  outcome: z.enum(['applied', 'ignored']),
});

export const routingRuleView = z.object({
  id: z.string(),
  prefixes: z.array(z.string()),
  tenantId: z.string().nullable(),
  senderTypes: z.array(senderType).nullable(),
  timeWindow: timeWindow.nullable(),
  operatorId: z.string(),
  priority: z.number().int(),
  weight: z.number().int(),
  failover: z.array(z.string()),
});

export const routingRuleSetView = z.object({ version: z.number().int(), rules: z.array(routingRuleView), updatedAt: z.string().nullable() });

export const routingRulesReplacedView = z.object({ ruleSet: routingRuleSetView, changed: z.boolean() });

export const operatorParams = z.object({ operatorId: z.string() });
export const connectionParams = z.object({ operatorId: z.string(), connectionId: z.string() });

export const listOperatorsQuery = z.object({
  status: z
    .string()
    .optional()
    .describe('Comma-separated statuses to list: active, suspended, deleted (default active,suspended)'),
  limit: z.coerce.number().int().optional().describe('1–500, default 100'),
  cursor: z.uuid().optional().describe('nextCursor of the previous page'),
});

export const ifMatchHeaders = z.object({
  'if-match': z.string().optional().describe('The version read (ETag): the change is refused with 409 if it is no longer current'),
});
