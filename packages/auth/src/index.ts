export {
  DEFAULT_ROLES_CLAIM,
  DEFAULT_SERVICE_CLAIM,
  DEFAULT_TENANT_CLAIM,
  EMBEDDED_AUDIENCE,
  EMBEDDED_ISSUER,
  TENANT_HEADER,
  isValidRoleName,
  isValidTenantId,
} from './auth-defaults.js';
export { AuthKeysUnavailableError, authErrors } from './auth-errors.js';
export type { AuthErrorCode, AuthFailure, TokenFailure } from './auth-errors.js';
export type { Principal } from './principal.js';
export { ASYMMETRIC_ALGORITHMS, createJwtVerifier } from './jwt-verifier.js';
export type { JwtVerifier, JwtVerifierOptions } from './jwt-verifier.js';
export { DEV_KEY_FILE, MAX_DEV_TOKEN_TTL_SEC, createDevSigner, devKeyDir } from './dev-signer.js';
export type { DevSigner, DevSignerOptions, DevSigningAlgorithm, MintOptions } from './dev-signer.js';
export { authProblemResponses, authenticate, principalOf, requireRole } from './fastify-auth.js';
export type { AuthHook, AuthProblemResponsesOptions, AuthenticateOptions } from './fastify-auth.js';
export { EXIT_USAGE, MIN_TOKEN_TTL_SEC, TOKEN_USAGE, runTokenCommand } from './token-command.js';
export type { TokenCommandIo } from './token-command.js';
export { devServiceToken, staticServiceToken } from './service-token.js';
export type { ServiceIdentity, ServiceTokenSource } from './service-token.js';
