import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDevSigner, createJwtVerifier, EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from '@sms/auth';
import type { JwtVerifier } from '@sms/auth';

/** A signing key made for this test (in a temporary folder), the verifier that trusts it, and token helpers. */
export interface TestAuth {
  readonly verifier: JwtVerifier;
  /** A token for a staff or machine role (`admin`, `commerce`, `compliance`, `auditor`, `service`, `system`). */
  staff(role: string): Promise<string>;
  /** A token of a tenant's user (`tenant` or `tenant_viewer`). */
  tenant(tenantId: string, role?: string): Promise<string>;
  /** A service identity (`svc` claim) with no role claim, as the orchestrator's token. */
  service(name: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function createTestAuth(): Promise<TestAuth> {
  const keyDir = await mkdtemp(join(tmpdir(), 'numbering-auth-'));
  const signer = await createDevSigner({ keyDir });
  const verifier = createJwtVerifier({ issuer: EMBEDDED_ISSUER, audience: EMBEDDED_AUDIENCE, publicKeyPem: signer.publicKeyPem });
  return {
    verifier,
    staff: (role) => signer.mint({ subject: `${role}-user`, roles: [role] }),
    tenant: (tenantId, role = 'tenant') => signer.mint({ subject: `user-of-${tenantId}`, tenantId, roles: [role] }),
    service: (name) => signer.mint({ subject: name, serviceName: name }),
    cleanup: () => rm(keyDir, { recursive: true, force: true }),
  };
}
