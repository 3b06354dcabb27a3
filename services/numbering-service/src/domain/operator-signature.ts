import { constants, createHash, createPublicKey, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * Operators sign each inventory file with a detached RSA signature: RSASSA-PKCS1-v1_5 over SHA-256 of the
 * exact file bytes, which is what `openssl dgst -sha256 -sign operator.key -out file.csv.sig file.csv`
 * produces. PKCS#1 v1.5 was chosen over PSS because every operator toolchain produces it by default;
 * it is deterministic and has no known forgery for signatures verified this way (full-length, strict decode).
 */
export const OPERATOR_SIGNATURE_SCHEME = 'RSASSA-PKCS1-v1_5/SHA-256';
/** Keys shorter than this are refused: they no longer meet current guidance (NIST SP 800-131A). */
export const MIN_OPERATOR_KEY_BITS = 2048;

/** One public key of an operator, PEM (SPKI `PUBLIC KEY` or PKCS#1 `RSA PUBLIC KEY`). Several allow rotation. */
export interface OperatorPublicKey {
  readonly keyId: string;
  readonly publicKeyPem: string;
}

export type SignatureCheck = { readonly verified: true; readonly keyId: string } | { readonly verified: false };

/** Parses a PEM key and checks it is RSA of at least {@link MIN_OPERATOR_KEY_BITS}; null when it is not usable. */
export function usableOperatorKey(pem: string): KeyObject | null {
  try {
    const key = createPublicKey(pem);
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return key.asymmetricKeyType === 'rsa' && bits >= MIN_OPERATOR_KEY_BITS ? key : null;
  } catch {
    return null;
  }
}

/** Verifies a detached signature of `file` against each key in turn; reports which key verified it. */
export function verifyOperatorSignature(
  file: Uint8Array,
  signature: Uint8Array,
  keys: readonly OperatorPublicKey[],
): SignatureCheck {
  if (signature.length === 0) return { verified: false };
  for (const candidate of keys) {
    const key = usableOperatorKey(candidate.publicKeyPem);
    if (key === null) continue;
    try {
      if (verify('sha256', file, { key, padding: constants.RSA_PKCS1_PADDING }, signature)) {
        return { verified: true, keyId: candidate.keyId };
      }
    } catch {
      // A malformed signature for this key is the same as a wrong one: try the next key.
    }
  }
  return { verified: false };
}

/** SHA-256 (hex) of a file's exact bytes; the import ledger records it so a re-import is a no-op. */
export const sha256Hex = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');
