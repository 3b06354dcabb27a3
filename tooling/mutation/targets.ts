/**
 * What `npm run mutation` mutates. Each target is one Stryker run: a group of domain files, the unit
 * tests that exercise them, and the score below which the run fails (the readiness checklists ask
 * ≥ 85 % for value objects and ≥ 75 % for aggregates; domain services, events and error registries
 * are held to the aggregate bar, since the checklists name no bar of their own for them).
 */
export interface MutationTarget {
  /** Name given on the command line: `npm run mutation -- numbering-service.value-objects`. */
  readonly name: string;
  /** Files to mutate, relative to the repository root. */
  readonly mutate: readonly string[];
  /**
   * Folder of the unit specs run against each mutant: the domain's own specs. The use-case specs also
   * exercise the domain, but loading them for every mutant made a run take hours on the shared machine.
   */
  readonly tests: string;
  /** Mutation score (percent) below which the run fails. */
  readonly breakAt: number;
}

export const VALUE_OBJECT_BAR = 85;
export const AGGREGATE_BAR = 75;

const files = (folder: string, names: readonly string[]): string[] => names.map((n) => `${folder}/${n}.ts`);

const orchestrator = 'services/sms-orchestrator';
const numbering = 'services/numbering-service';
const operators = 'services/operator-management';
const config = 'services/config-service';

export const MUTATION_TARGETS: readonly MutationTarget[] = [
  {
    name: 'kernel',
    mutate: files('packages/kernel/src', ['result', 'clock', 'ids', 'event-envelope', 'error-registry']),
    tests: 'packages/kernel/test/unit',
    breakAt: VALUE_OBJECT_BAR,
  },
  {
    name: 'sms-orchestrator.value-objects',
    mutate: files(`${orchestrator}/src/domain`, [
      'callback-url',
      'client-reference',
      'destination',
      'e164',
      'field-error',
      'gsm7-alphabet',
      'idempotency-key',
      'invalid-value',
      'message-body',
      'request-fingerprint',
      'sender',
      'text-checks',
      'validity-period',
    ]),
    tests: `${orchestrator}/test/unit/domain`,
    breakAt: VALUE_OBJECT_BAR,
  },
  {
    name: 'sms-orchestrator.aggregates',
    mutate: files(`${orchestrator}/src/domain`, [
      'sms-message',
      'message-status',
      'submission',
      'bulk-submission',
      'segmentation',
      'retry-policy',
      'message-events',
      'sms-orchestrator-errors',
    ]),
    tests: `${orchestrator}/test/unit/domain`,
    breakAt: AGGREGATE_BAR,
  },
  {
    name: 'numbering-service.value-objects',
    mutate: files(`${numbering}/src/domain`, ['number-value', 'numbering-policy', 'request-fingerprint']),
    tests: `${numbering}/test/unit/domain`,
    breakAt: VALUE_OBJECT_BAR,
  },
  {
    name: 'numbering-service.aggregates',
    mutate: files(`${numbering}/src/domain`, [
      'number',
      'number-state-machine',
      'catalog',
      'lease-verdict',
      'audit-chain',
      'permissions',
      'operator-csv',
      'operator-signature',
      'regulator-export',
      'regulator-export-csv',
      'tenant-anomaly',
      'number-events',
      'numbering-errors',
    ]),
    tests: `${numbering}/test/unit/domain`,
    breakAt: AGGREGATE_BAR,
  },
  {
    name: 'operator-management.value-objects',
    mutate: files(`${operators}/src/domain`, ['number-prefix', 'mcc-mnc', 'time-window', 'field-issue', 'csv']),
    tests: `${operators}/test/unit/domain`,
    breakAt: VALUE_OBJECT_BAR,
  },
  {
    name: 'operator-management.aggregates',
    mutate: files(`${operators}/src/domain`, [
      'operator',
      'smpp-connection',
      'routing-rule',
      'operator-health',
      'legacy-import-plan',
      'legacy-export',
      'operator-events',
      'operator-management-errors',
    ]),
    tests: `${operators}/test/unit/domain`,
    breakAt: AGGREGATE_BAR,
  },
  {
    name: 'config-service.value-objects',
    mutate: files(`${config}/src/domain`, ['config-value', 'node-path', 'config-levels']),
    tests: `${config}/test/unit/domain`,
    breakAt: VALUE_OBJECT_BAR,
  },
  {
    name: 'config-service.aggregates',
    mutate: files(`${config}/src/domain`, [
      'config-node',
      'key-definition',
      'node-version',
      'resolution',
      'access',
      'config-seed',
      'config-events',
      'config-errors',
    ]),
    tests: `${config}/test/unit/domain`,
    breakAt: AGGREGATE_BAR,
  },
];

/**
 * Domain files deliberately not mutated: `json.ts` holds only types, `pipeline-stage.ts` only the list
 * of metric label names. Any other domain file missing from the targets is reported by the runner.
 */
export const NOT_MUTATED: readonly string[] = [
  `${numbering}/src/domain/json.ts`,
  `${orchestrator}/src/domain/pipeline-stage.ts`,
];
