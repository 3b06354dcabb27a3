import type { PlatformTopology, TopologyOperator } from '../topology.js';
import { ruleIdOf } from '../topology.js';
import type { ServiceClient } from './service-client.js';

/** Where an operator's SMSC (its simulator) listens. */
export interface SmscAddress {
  readonly host: string;
  readonly port: number;
}

/** An operator as operator-management holds it after the seed, with the one connection the gateway binds. */
export interface SeededOperator {
  readonly code: string;
  readonly operatorId: string;
  readonly connectionId: string;
  readonly address: SmscAddress;
  readonly systemId: string;
  readonly password: string;
  readonly windowSize: number;
  readonly throughputLimit: number;
}

interface ConnectionView {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly systemId: string;
  readonly systemType: string;
  readonly bindMode: string;
  readonly tls: boolean;
  readonly windowSize: number;
  readonly throughputLimit: number;
  readonly authentication: { readonly configured: boolean };
}

interface OperatorView {
  readonly id: string;
  readonly code: string;
  readonly prefixes: readonly string[];
  readonly connections: readonly ConnectionView[];
}

interface RuleSetView {
  readonly version: number;
  readonly rules: ReadonlyArray<{ readonly id: string } & Record<string, unknown>>;
}

function connectionSettings(operator: TopologyOperator, address: SmscAddress) {
  return {
    host: address.host,
    port: address.port,
    systemId: operator.systemId,
    systemType: '',
    bindMode: 'transceiver',
    tls: false,
    windowSize: operator.windowSize,
    throughputLimit: operator.throughputLimit,
  } as const;
}

function differs(current: ConnectionView, wanted: ReturnType<typeof connectionSettings>): boolean {
  return (Object.keys(wanted) as Array<keyof typeof wanted>).some((key) => current[key] !== wanted[key]);
}

/**
 * The topology's operators in operator-management, each with one transceiver connection to its
 * simulator and a stored bind password, and one routing rule per operator (its own prefixes, the
 * others as failover). Creates what is missing and corrects what differs; a second run with the
 * same topology and addresses changes nothing. `changes` lists what this run did.
 */
export async function seedOperators(
  ops: ServiceClient,
  topology: PlatformTopology,
  addresses: ReadonlyMap<string, SmscAddress>,
  changes: string[],
): Promise<SeededOperator[]> {
  const existing = await ops.expect<{ items: OperatorView[] }>([200], 'GET', '/v1/operators?limit=500');
  const seeded: SeededOperator[] = [];
  for (const operator of topology.operators) {
    const address = addresses.get(operator.code);
    if (address === undefined) throw new Error(`no SMSC address for operator ${operator.code}`);
    const wanted = connectionSettings(operator, address);
    let view = existing.items.find((item) => item.code === operator.code);
    if (view === undefined) {
      view = await ops.expect<OperatorView>([201], 'POST', '/v1/operators', {
        code: operator.code,
        name: operator.name,
        mcc: operator.mcc,
        mnc: operator.mnc,
        prefixes: operator.prefixes,
        connections: [{ ...wanted, password: operator.password }],
      });
      changes.push(`operator ${operator.code} created`);
    } else {
      view = await reconcileOperator(ops, view, operator, wanted, changes);
    }
    const connection = view.connections[0];
    if (connection === undefined) throw new Error(`operator ${operator.code} has no connection after the seed`);
    seeded.push({
      code: operator.code,
      operatorId: view.id,
      connectionId: connection.id,
      address,
      systemId: operator.systemId,
      password: operator.password,
      windowSize: operator.windowSize,
      throughputLimit: operator.throughputLimit,
    });
  }
  await seedRoutingRules(ops, topology, seeded, changes);
  return seeded;
}

async function reconcileOperator(
  ops: ServiceClient,
  view: OperatorView,
  operator: TopologyOperator,
  wanted: ReturnType<typeof connectionSettings>,
  changes: string[],
): Promise<OperatorView> {
  const id = encodeURIComponent(view.id);
  let current = view;
  if ([...current.prefixes].sort().join(',') !== [...operator.prefixes].sort().join(',')) {
    current = (await ops.expect<{ operator: OperatorView }>([200], 'PATCH', `/v1/operators/${id}`, { prefixes: operator.prefixes })).operator;
    changes.push(`operator ${operator.code} prefixes set`);
  }
  const connection = current.connections[0];
  if (connection === undefined) {
    current = (await ops.expect<{ operator: OperatorView }>([201], 'POST', `/v1/operators/${id}/connections`, { ...wanted, password: operator.password })).operator;
    changes.push(`operator ${operator.code} connection added`);
    return current;
  }
  const connectionPath = `/v1/operators/${id}/connections/${encodeURIComponent(connection.id)}`;
  if (differs(connection, wanted)) {
    current = (await ops.expect<{ operator: OperatorView }>([200], 'PATCH', connectionPath, wanted)).operator;
    changes.push(`operator ${operator.code} connection settings set`);
  }
  if (!connection.authentication.configured) {
    await ops.expect([200], 'PUT', `${connectionPath}/password`, { password: operator.password });
    changes.push(`operator ${operator.code} bind password stored`);
  }
  return current;
}

async function seedRoutingRules(ops: ServiceClient, topology: PlatformTopology, seeded: readonly SeededOperator[], changes: string[]): Promise<void> {
  const current = await ops.expect<RuleSetView>([200], 'GET', '/v1/routing-rules');
  const ours = topology.operators.map((operator) => ruleIdOf(operator));
  const rules = [
    // Rules someone added besides the seed's stay as they are.
    ...current.rules.filter((rule) => !ours.includes(rule.id)),
    ...topology.operators.map((operator, index) => ({
      id: ruleIdOf(operator),
      prefixes: operator.prefixes,
      operatorId: seeded[index]?.operatorId ?? '',
      priority: topology.rulePriority,
      weight: 1,
      failover: seeded.filter((other) => other.code !== operator.code).map((other) => other.operatorId),
    })),
  ];
  const answer = await ops.expect<{ changed: boolean }>([200], 'PUT', '/v1/routing-rules', { expectedVersion: current.version, rules });
  if (answer.changed) changes.push('routing rules set');
}
