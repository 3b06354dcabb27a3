import type { OpsServiceFixture } from './ops-service.js';
import { auth } from './ops-service.js';

export interface ConnectionBody {
  host: string;
  port: number;
  systemId: string;
  bindMode: 'transceiver' | 'transmitter' | 'receiver';
  tls?: boolean;
  windowSize?: number;
  throughputLimit?: number;
  password?: string | null;
}

export interface OperatorBody {
  code: string;
  name: string;
  mcc: string | null;
  mnc: string | null;
  kind?: 'mno' | 'aggregator';
  prefixes?: string[];
  connections: ConnectionBody[];
}

/** The operator view as the API answers it (the fields the tests look at). */
export interface OperatorJson {
  id: string;
  code: string;
  status: string;
  version: number;
  connections: { id: string; systemId: string; authentication: { configured: boolean; version: number | null } }[];
}

export const MNO_BODIES = {
  roshan: { code: 'ROSHAN', name: 'Roshan', mcc: '412', mnc: '20', prefixes: ['9379', '9372'], host: 'smsc.roshan.example' },
  awcc: { code: 'AWCC', name: 'Afghan Wireless', mcc: '412', mnc: '01', prefixes: ['9370', '9371'], host: 'smsc.awcc.example' },
  etisalat: { code: 'ETISALAT-AF', name: 'Etisalat Afghanistan', mcc: '412', mnc: '50', prefixes: ['9378', '9373'], host: 'smsc.etisalat.example' },
  mtn: { code: 'MTN-AF', name: 'MTN Afghanistan', mcc: '412', mnc: '40', prefixes: ['9377', '9376'], host: 'smsc.mtn.example' },
  salaam: { code: 'SALAAM', name: 'Salaam', mcc: '412', mnc: '80', prefixes: ['9374'], host: 'smsc.salaam.example' },
} as const;

export function operatorBody(key: keyof typeof MNO_BODIES, overrides: Partial<OperatorBody> = {}, password?: string): OperatorBody {
  const mno = MNO_BODIES[key];
  return {
    code: mno.code,
    name: mno.name,
    mcc: mno.mcc,
    mnc: mno.mnc,
    prefixes: [...mno.prefixes],
    connections: [
      { host: mno.host, port: 2775, systemId: `${mno.code.slice(0, 4)}_A2P`, bindMode: 'transceiver', tls: true, ...(password ? { password } : {}) },
    ],
    ...overrides,
  };
}

/** Creates an operator as the administrator; fails the test unless it is created. */
export async function createOperatorOver(s: OpsServiceFixture, body: OperatorBody): Promise<OperatorJson> {
  const response = await s.app.inject({ method: 'POST', url: '/v1/operators', headers: auth(s.tokens.admin), payload: body });
  if (response.statusCode !== 201) throw new Error(`create ${body.code}: ${response.statusCode} ${response.body}`);
  return response.json<OperatorJson>();
}

/** A health report body for `connectionId` of `operatorId` at `at`. */
export const healthReport = (operatorId: string, connectionId: string, at: Date, overrides: Record<string, unknown> = {}) => ({
  operatorId,
  connectionId,
  bindState: 'bound',
  latencyMs: 40,
  errorRate: 0.001,
  throughputPerSecond: 120,
  at: at.toISOString(),
  ...overrides,
});
