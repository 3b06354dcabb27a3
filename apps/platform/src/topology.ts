import type { SimulatorBehaviour } from '../../../services/smpp-gateway/src/index.js';

/** One operator (MNO) of the demo topology, with its SMSC simulator. */
export interface TopologyOperator {
  /** operator-management's operator code; also the key of the operator's simulator. */
  readonly code: string;
  readonly name: string;
  readonly mcc: string;
  readonly mnc: string;
  /** E.164 destination prefixes without `+`: the operator's routing rule sends them here. */
  readonly prefixes: readonly string[];
  /** The bind credentials the simulator accepts and operator-management stores (password: 1–8 characters). */
  readonly systemId: string;
  readonly password: string;
  /** Submits per second operator-management records for the bind (the gateway paces to it). */
  readonly throughputLimit: number;
  readonly windowSize: number;
  /** How the operator's simulator answers; absent members keep the simulator's defaults (instant, all delivered). */
  readonly simulator?: Partial<SimulatorBehaviour>;
}

/** What the demo seed creates: operators on simulators, their routing rules, and one tenant with a leased short code. */
export interface PlatformTopology {
  readonly operators: readonly TopologyOperator[];
  /** Rule priority of the operators' own prefixes; every other operator is a failover, in topology order. */
  readonly rulePriority: number;
  readonly tenant: {
    readonly id: string;
    /** numbering-service segment of the tenant's pool. */
    readonly segment: 'enterprise' | 'smb' | 'government';
  };
  readonly shortCode: {
    readonly value: string;
    /** The operator whose contract and signed inventory file bring the short code into numbering-service. */
    readonly operatorCode: string;
    /** The uses the lease permits (the orchestrator checks `transactional`). */
    readonly uses: readonly ('transactional' | 'promotional' | 'otp' | 'alert')[];
  };
}

/**
 * The five Afghan mobile network operators (MCC 412) with their real destination prefixes, each on a
 * local SMSC simulator, and the tenant `demo` holding short code 4455. The embedded platform seeds it
 * (`PLATFORM_SEED=demo`); the end-to-end tests start from it and override what they need.
 */
export const DEMO_TOPOLOGY: PlatformTopology = {
  operators: [
    { code: 'ROSHAN', name: 'Roshan', mcc: '412', mnc: '20', prefixes: ['9379', '9372'], systemId: 'roshan', password: 'roshan1', throughputLimit: 100, windowSize: 10 },
    { code: 'AWCC', name: 'Afghan Wireless (AWCC)', mcc: '412', mnc: '01', prefixes: ['9370', '9371'], systemId: 'awcc', password: 'awcc1', throughputLimit: 100, windowSize: 10 },
    { code: 'ETISALAT-AF', name: 'Etisalat Afghanistan', mcc: '412', mnc: '50', prefixes: ['9378', '9373'], systemId: 'etisalat', password: 'etisal1', throughputLimit: 100, windowSize: 10 },
    { code: 'MTN-AF', name: 'MTN Afghanistan', mcc: '412', mnc: '40', prefixes: ['9377', '9376'], systemId: 'mtn', password: 'mtn1', throughputLimit: 100, windowSize: 10 },
    { code: 'SALAAM', name: 'Salaam (Afghan Telecom)', mcc: '412', mnc: '80', prefixes: ['9374'], systemId: 'salaam', password: 'salaam1', throughputLimit: 100, windowSize: 10 },
  ],
  rulePriority: 100,
  tenant: { id: 'demo', segment: 'enterprise' },
  shortCode: { value: '4455', operatorCode: 'ROSHAN', uses: ['transactional', 'promotional', 'otp', 'alert'] },
};

/** The routing rule id of an operator's own prefixes (stable, so re-seeding the same rules changes nothing). */
export const ruleIdOf = (operator: TopologyOperator): string => `${operator.code.toLowerCase()}-own-prefixes`;
