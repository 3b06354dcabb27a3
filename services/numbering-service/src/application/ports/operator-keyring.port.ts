import type { OperatorPublicKey } from '../../domain/operator-signature.js';

/**
 * The operators' signature-verification keys, from configuration (never the database). An operator may
 * have several keys during a rotation. Throws on an infrastructure fault reading the configuration.
 */
export interface OperatorKeyring {
  /** Keys of `operatorCode`; empty when the operator has none configured. */
  publicKeysFor(operatorCode: string): Promise<readonly OperatorPublicKey[]>;
}
