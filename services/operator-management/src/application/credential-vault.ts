import { err, ok, type Result } from '@sms/kernel';
import { secretStoreUnavailable, type OpsErrorOf } from '../domain/operator-management-errors.js';
import type { OperatorCredentialStore } from './ports/operator-credential-store.port.js';

/** Where the bind password of one connection lives in the secret store. */
export const connectionSecretPath = (operatorId: string, connectionId: string): string =>
  `operators/${operatorId}/connections/${connectionId}`;

/** True for the secret store's "unavailable" failure (`SecretStoreUnavailableError`, code `SECRETS.UNAVAILABLE`). */
export function isSecretStoreUnavailable(error: unknown): boolean {
  return error instanceof Error && (error as { readonly code?: unknown }).code === 'SECRETS.UNAVAILABLE';
}

type Unavailable = OpsErrorOf<'OPS.SECRET_STORE_UNAVAILABLE'>;

const PASSWORD_KEY = 'password';

/**
 * Bind passwords in the secret store, one secret per connection. Turns "store unavailable"
 * into a value (`OPS.SECRET_STORE_UNAVAILABLE`, answered 503); other faults propagate.
 * Nothing here logs or returns a password except {@link CredentialVault.read}.
 */
export class CredentialVault {
  constructor(private readonly store: OperatorCredentialStore) {}

  /** Stores a new version of the password; the store's version number on success. */
  async write(operatorId: string, connectionId: string, password: string): Promise<Result<{ version: number }, Unavailable>> {
    return this.guard(() => this.store.put(connectionSecretPath(operatorId, connectionId), { [PASSWORD_KEY]: password }));
  }

  /** The current password, or null when none is stored. */
  async read(operatorId: string, connectionId: string): Promise<Result<string | null, Unavailable>> {
    return this.guard(async () => {
      const secret = await this.store.get(connectionSecretPath(operatorId, connectionId));
      return secret?.[PASSWORD_KEY] ?? null;
    });
  }

  async remove(operatorId: string, connectionId: string): Promise<Result<void, Unavailable>> {
    return this.guard(() => this.store.delete(connectionSecretPath(operatorId, connectionId)));
  }

  /**
   * Compensation: removes secrets written for a change that did not happen. Best effort: a path
   * it cannot remove belongs to a connection id that was never recorded and is never reused, so
   * nothing can read it; the ones left are returned for the caller to report.
   */
  async removeAll(targets: readonly { readonly operatorId: string; readonly connectionId: string }[]): Promise<string[]> {
    const left: string[] = [];
    for (const { operatorId, connectionId } of targets) {
      try {
        const removed = await this.remove(operatorId, connectionId);
        if (!removed.ok) left.push(connectionSecretPath(operatorId, connectionId));
      } catch {
        left.push(connectionSecretPath(operatorId, connectionId));
      }
    }
    return left;
  }

  private async guard<T>(action: () => Promise<T>): Promise<Result<T, Unavailable>> {
    try {
      return ok(await action());
    } catch (error) {
      if (isSecretStoreUnavailable(error)) return err(secretStoreUnavailable());
      throw error;
    }
  }
}
