import type { CredentialsProvider, SmscCredentials } from '../../application/ports/credentials-provider.port.js';

/**
 * Credentials from the gateway's configuration (`SMPP_CONNECTIONS`), for embedded mode and tests,
 * where the simulators' credentials are local. Production reads them from operator-management's
 * credentials endpoint instead (docs/overview.md, "Credentials").
 */
export class ConfigCredentialsProvider implements CredentialsProvider {
  private readonly byConnection: ReadonlyMap<string, SmscCredentials>;

  constructor(entries: ReadonlyArray<{ readonly connectionId: string } & SmscCredentials>) {
    this.byConnection = new Map(entries.map((entry) => [entry.connectionId, { systemId: entry.systemId, password: entry.password, systemType: entry.systemType }]));
  }

  credentialsFor(connectionId: string): Promise<SmscCredentials | null> {
    return Promise.resolve(this.byConnection.get(connectionId) ?? null);
  }
}
