import type { OperatorPublicKey } from '../../domain/operator-signature.js';
import type { OperatorKeyring } from '../ports/operator-keyring.port.js';

/** {@link OperatorKeyring} over a fixed map, as configuration would provide it. */
export class InMemoryOperatorKeyring implements OperatorKeyring {
  private readonly keys: ReadonlyMap<string, readonly OperatorPublicKey[]>;

  constructor(keys: Readonly<Record<string, readonly OperatorPublicKey[]>> = {}) {
    this.keys = new Map(Object.entries(keys));
  }

  publicKeysFor(operatorCode: string): Promise<readonly OperatorPublicKey[]> {
    return Promise.resolve(this.keys.get(operatorCode) ?? []);
  }
}
