import type { OperatorCredentialStore } from '../ports/operator-credential-store.port.js';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The secret store's "unavailable" failure, as `@sms/secrets` throws it (same name and code). */
export class FakeSecretStoreUnavailableError extends Error {
  override readonly name = 'SecretStoreUnavailableError';
  readonly code = 'SECRETS.UNAVAILABLE';
}

/**
 * A KV v2-like secret store in memory: versions per path start at 1 and only grow, delete
 * removes every version, paths are checked like the real store's. It can be taken down (every
 * call throws the unavailable error) or made to fail one put after some successful ones.
 */
export class InMemoryCredentialStore implements OperatorCredentialStore {
  private readonly secrets = new Map<string, { data: Record<string, string>; version: number }>();
  private readonly versions = new Map<string, number>();
  private available = true;
  private putsBeforeFailure: number | null = null;

  /** Every call throws {@link FakeSecretStoreUnavailableError} until {@link up}. */
  down(): void {
    this.available = false;
  }

  up(): void {
    this.available = true;
  }

  /** After `count` more successful puts, the next put fails as unavailable, once (a transient outage). */
  failPutAfter(count: number): void {
    this.putsBeforeFailure = count;
  }

  /** Paths holding a secret, for assertions. */
  paths(): string[] {
    return [...this.secrets.keys()].sort();
  }

  async get(path: string): Promise<Record<string, string> | null> {
    this.check(path);
    await Promise.resolve();
    const secret = this.secrets.get(path);
    return secret ? { ...secret.data } : null;
  }

  async put(path: string, data: Readonly<Record<string, string>>): Promise<{ version: number }> {
    this.check(path);
    if (this.putsBeforeFailure !== null) {
      const left = this.putsBeforeFailure;
      this.putsBeforeFailure = left === 0 ? null : left - 1;
      if (left === 0) throw new FakeSecretStoreUnavailableError(`secret store timed out (put ${path})`);
    }
    await Promise.resolve();
    const version = (this.versions.get(path) ?? 0) + 1;
    this.versions.set(path, version);
    this.secrets.set(path, { data: { ...data }, version });
    return { version };
  }

  async delete(path: string): Promise<void> {
    this.check(path);
    await Promise.resolve();
    // KV v2 metadata delete: the path starts again at version 1 if written later.
    this.secrets.delete(path);
    this.versions.delete(path);
  }

  private check(path: string): void {
    if (path.length === 0 || path.startsWith('/') || !path.split('/').every((s) => SEGMENT.test(s))) {
      throw new Error(`secret path ${JSON.stringify(path)} is refused`);
    }
    if (!this.available) throw new FakeSecretStoreUnavailableError(`secret store unavailable (operation on ${path})`);
  }
}
