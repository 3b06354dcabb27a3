/** What bind_transceiver needs. The password never leaves the SMPP adapter and is never logged. */
export interface SmscCredentials {
  readonly systemId: string;
  readonly password: string;
  readonly systemType: string;
}

/**
 * The bind credentials of an operator connection. Embedded mode and tests: from configuration
 * (`SMPP_CONNECTIONS`); production: operator-management's credentials endpoint (`HttpCredentialsProvider`). Resolves null for an unknown connection; throws when the source is unreachable.
 */
export interface CredentialsProvider {
  credentialsFor(connectionId: string): Promise<SmscCredentials | null>;
}
