import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { EventContract } from './event-contract.js';
import { configServiceEvents } from './events/config-service.events.js';
import { numberingServiceEvents } from './events/numbering-service.events.js';
import { operatorManagementEvents } from './events/operator-management.events.js';
import { smppGatewayEvents } from './events/smpp-gateway.events.js';
import { smsOrchestratorEvents } from './events/sms-orchestrator.events.js';

/** Every event the platform produces: the schema registry. */
export const allEventContracts: readonly EventContract[] = [
  ...smsOrchestratorEvents,
  ...numberingServiceEvents,
  ...operatorManagementEvents,
  ...configServiceEvents,
  ...smppGatewayEvents,
];

export const eventContractFor = (type: string): EventContract | undefined => allEventContracts.find((c) => c.type === type);

export interface EventValidator {
  /** Null when `data` conforms to the schema of `type`; otherwise the reasons, one per problem. */
  validate(type: string, data: unknown): string[] | null;
}

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Compiles every registered schema once (strict mode) and validates event data against them. */
export function createEventValidator(contracts: readonly EventContract[] = allEventContracts): EventValidator {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  const compiled = new Map<string, ValidateFunction>();
  for (const contract of contracts) compiled.set(contract.type, ajv.compile(contract.schema));
  return {
    validate(type, data) {
      const check = compiled.get(type);
      if (!check) return [`no schema is registered for event type ${type}`];
      if (check(data)) return null;
      return (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    },
  };
}
