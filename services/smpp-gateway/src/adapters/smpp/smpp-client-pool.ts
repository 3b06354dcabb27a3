import type { Clock } from '@sms/kernel';
import type { Logger } from '@sms/logging';
import type { CredentialsProvider } from '../../application/ports/credentials-provider.port.js';
import type { Sleeper, SmscSubmitter, SubmitPartRequest, SubmitPartResponse } from '../../application/ports/smsc-submitter.port.js';
import { SmppConnection } from './smpp-connection.js';
import type { SmppConnectionHooks, SmppConnectionSettings } from './smpp-connection.js';

/** One SMPP bind per configured connection, started together; submits go to the connection the request names. */
export class SmppClientPool implements SmscSubmitter {
  private readonly connections = new Map<string, SmppConnection>();

  constructor(
    settings: readonly SmppConnectionSettings[],
    credentials: CredentialsProvider,
    hooks: SmppConnectionHooks,
    logger: Logger,
    clock: Clock,
  ) {
    for (const setting of settings) {
      this.connections.set(setting.connectionId, new SmppConnection(setting, credentials, hooks, logger.child({ component: 'smpp' }), clock));
    }
  }

  start(): void {
    for (const connection of this.connections.values()) connection.start();
  }

  connection(connectionId: string): SmppConnection | undefined {
    return this.connections.get(connectionId);
  }

  get all(): readonly SmppConnection[] {
    return [...this.connections.values()];
  }

  submit(request: SubmitPartRequest): Promise<SubmitPartResponse> {
    const connection = this.connections.get(request.connectionId);
    if (connection === undefined) return Promise.resolve({ kind: 'unavailable', reason: `no SMPP connection ${request.connectionId} is configured` });
    return connection.submit(request);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.connections.values()].map((connection) => connection.stop()));
  }
}

/** Real waiting, for the submit backoff. */
export const timerSleeper: Sleeper = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
