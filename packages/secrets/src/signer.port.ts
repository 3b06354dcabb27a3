import type { UnavailableReason } from './secret-store.port.js';

/** The signature schemes a {@link Signer} may produce. */
export type SignatureAlgorithm =
  /** Ed25519 (RFC 8032) over the raw data. */
  | 'Ed25519'
  /**
   * RSASSA-PSS (RFC 8017) with SHA-256 and MGF1-SHA-256. Signed with the largest salt the key
   * allows (Vault Transit's default); verify with the salt length auto-detected.
   */
  | 'RSA-PSS-SHA256';

/** A detached signature, as it travels next to the signed file (e.g. the monthly regulator export). */
export interface Signature {
  /** Which key signed: names the key and its version, so a verifier picks the right public key after rotation. */
  readonly keyId: string;
  readonly algorithm: SignatureAlgorithm;
  /** The signature bytes, standard base64. */
  readonly signature: string;
}

/**
 * Signs files the platform hands to third parties (the regulator export), so they can prove the
 * file came from us unaltered. Two adapters: Vault Transit (the private key never leaves Vault)
 * and a local private key for embedded mode; one contract suite runs against both.
 */
export interface Signer {
  /** Signs `data` with the current key version. */
  sign(data: Uint8Array): Promise<Signature>;

  /**
   * True when `signature` is a valid signature of `data` by this signer's key (the version named
   * by its `keyId`); false for altered data, an altered signature, or a signature by another key.
   */
  verify(data: Uint8Array, signature: Signature): Promise<boolean>;

  /**
   * The current public key as SPKI PEM, for the recipient to verify with standard tools
   * (`openssl pkeyutl -verify`, node:crypto). Throws when the key type has no public half.
   */
  publicKeyPem(): Promise<string>;
}

/**
 * Thrown when the signing service cannot serve the request (Vault down, sealed, too slow, or
 * refusing our token). Callers retry later or answer 503. The message never carries the token.
 */
export class SignerUnavailableError extends Error {
  override readonly name = 'SignerUnavailableError';
  readonly code = 'SIGNER.UNAVAILABLE';

  constructor(
    readonly reason: UnavailableReason,
    message: string,
  ) {
    super(message);
  }
}
