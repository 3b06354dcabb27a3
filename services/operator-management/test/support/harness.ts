import { ManualClock, type IdGenerator, type Result } from '@sms/kernel';
import {
  AddConnection,
  ApplyLegacyImport,
  CreateOperator,
  CredentialVault,
  GetConnectionCredentials,
  GetOperator,
  GetOperatorHealth,
  GetRoutingRules,
  InMemoryCredentialStore,
  InMemoryCurrentHealthRepository,
  InMemoryHealthLogRepository,
  InMemoryOperatorRepository,
  InMemoryOutbox,
  InMemoryRoutingRuleRepository,
  IngestHealthReport,
  ListOperatorHealth,
  ListOperators,
  OpsEventFactory,
  PlanLegacyImport,
  RemoveConnection,
  ReplaceRoutingRules,
  SetConnectionPassword,
  SoftDeleteOperator,
  SweepStaleHealth,
  UpdateConnection,
  UpdateOperator,
  type ConnectionSettings,
  type CreateOperatorCommand,
  type OperatorView,
} from '../../src/index.js';

/** Predictable ids that also sort in creation order (`id-0001`, `id-0002`, …), like uuidv7 does. */
export class SortableIdGenerator implements IdGenerator {
  private counter = 0;
  next(): string {
    this.counter += 1;
    return `id-${String(this.counter).padStart(4, '0')}`;
  }
}

/** Every use case wired to in-memory ports, as main.ts will wire them to adapters. */
export function harness(options: { ids?: IdGenerator; start?: string } = {}) {
  const clock = new ManualClock(options.start ?? '2026-04-18T12:00:00.000Z');
  const ids = options.ids ?? new SortableIdGenerator();
  const outbox = new InMemoryOutbox();
  const operators = new InMemoryOperatorRepository(outbox);
  const store = new InMemoryCredentialStore();
  const vault = new CredentialVault(store);
  const healthLog = new InMemoryHealthLogRepository();
  const currentHealth = new InMemoryCurrentHealthRepository(outbox);
  const routingRules = new InMemoryRoutingRuleRepository(outbox);
  const events = new OpsEventFactory(ids);

  const createOperator = new CreateOperator({ operators, vault, events, ids, clock });
  const updateOperator = new UpdateOperator({ operators, events, clock });
  const addConnection = new AddConnection({ operators, vault, events, ids, clock });
  const updateConnection = new UpdateConnection({ operators, events, clock });
  const setConnectionPassword = new SetConnectionPassword({ operators, vault, events, clock });
  return {
    clock,
    ids,
    outbox,
    operators,
    store,
    vault,
    healthLog,
    currentHealth,
    routingRules,
    events,
    createOperator,
    getOperator: new GetOperator({ operators }),
    listOperators: new ListOperators({ operators }),
    updateOperator,
    softDeleteOperator: new SoftDeleteOperator({ operators, routingRules, vault, events, clock }),
    addConnection,
    updateConnection,
    removeConnection: new RemoveConnection({ operators, vault, events, clock }),
    setConnectionPassword,
    getConnectionCredentials: new GetConnectionCredentials({ operators, vault }),
    ingestHealthReport: new IngestHealthReport({ operators, healthLog, currentHealth, events, clock }),
    sweepStaleHealth: new SweepStaleHealth({ operators, currentHealth, events, clock }),
    getOperatorHealth: new GetOperatorHealth({ operators, currentHealth }),
    listOperatorHealth: new ListOperatorHealth({ operators, currentHealth }),
    replaceRoutingRules: new ReplaceRoutingRules({ operators, routingRules, events, clock }),
    getRoutingRules: new GetRoutingRules({ routingRules }),
    planLegacyImport: new PlanLegacyImport({ operators }),
    applyLegacyImport: new ApplyLegacyImport({
      operators,
      createOperator,
      updateOperator,
      addConnection,
      updateConnection,
      setConnectionPassword,
    }),
  };
}

export type Harness = ReturnType<typeof harness>;

export const connection = (overrides: Partial<ConnectionSettings> = {}): ConnectionSettings => ({
  host: 'smsc1.roshan.example',
  port: 2775,
  systemId: 'ROSH_A2P',
  systemType: '',
  bindMode: 'transceiver',
  tls: true,
  windowSize: 50,
  throughputLimit: 200,
  ...overrides,
});

/** The five Afghan MNOs with their E.212 codes and mobile prefixes. */
export const MNOS = {
  roshan: { code: 'ROSHAN', name: 'Roshan', mcc: '412', mnc: '20', prefixes: ['9379', '9372'], host: 'smsc.roshan.example' },
  awcc: { code: 'AWCC', name: 'Afghan Wireless', mcc: '412', mnc: '01', prefixes: ['9370', '9371'], host: 'smsc.awcc.example' },
  etisalat: { code: 'ETISALAT-AF', name: 'Etisalat Afghanistan', mcc: '412', mnc: '50', prefixes: ['9378', '9373'], host: 'smsc.etisalat.example' },
  mtn: { code: 'MTN-AF', name: 'MTN Afghanistan', mcc: '412', mnc: '40', prefixes: ['9377', '9376'], host: 'smsc.mtn.example' },
  salaam: { code: 'SALAAM', name: 'Salaam', mcc: '412', mnc: '80', prefixes: ['9374'], host: 'smsc.salaam.example' },
} as const;

export type MnoKey = keyof typeof MNOS;

export function mnoCommand(key: MnoKey, overrides: Partial<CreateOperatorCommand> = {}): CreateOperatorCommand {
  const mno = MNOS[key];
  return {
    code: mno.code,
    name: mno.name,
    mcc: mno.mcc,
    mnc: mno.mnc,
    prefixes: [...mno.prefixes],
    connections: [{ ...connection({ host: mno.host, systemId: `${mno.code.slice(0, 4)}_A2P` }) }],
    ...overrides,
  };
}

/** Creates an operator and returns its view; fails the test if creation fails. */
export async function givenOperator(h: Harness, key: MnoKey, overrides: Partial<CreateOperatorCommand> = {}): Promise<OperatorView> {
  const result = await h.createOperator.execute(mnoCommand(key, overrides));
  if (!result.ok) throw new Error(`could not create ${key}: ${result.error.detail}`);
  return result.value;
}

/** The value of an ok result; fails the test with the error otherwise. */
export function valueOf<T, E>(result: Result<T, E>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

/** The error of a failed result; fails the test when it succeeded. */
export function errorOf<T, E>(result: Result<T, E>): E {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}
