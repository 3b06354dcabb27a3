/** A token bucket: refills at `messagesPerSecond`, holds at most `burst` tokens. */
export interface SubmitRateLimit {
  readonly messagesPerSecond: number;
  readonly burst: number;
}

export interface TenantSubmitSettings {
  /** 1 to 255; a body needing more parts is refused with `ORCH.TOO_MANY_PARTS`. */
  readonly maxPartsPerMessage: number;
  readonly submitRateLimit: SubmitRateLimit;
}

/** What a tenant gets when the configuration service has nothing more specific. */
export const DEFAULT_TENANT_SUBMIT_SETTINGS: TenantSubmitSettings = {
  maxPartsPerMessage: 10,
  submitRateLimit: { messagesPerSecond: 100, burst: 1_000 },
};

/**
 * The submit settings of a tenant, resolved from the hierarchical configuration (tenant →
 * … → GLOBAL); adapters fill unset values from {@link DEFAULT_TENANT_SUBMIT_SETTINGS} and may cache.
 *
 * @throws only for infrastructure faults.
 */
export interface TenantSettings {
  forTenant(tenantId: string): Promise<TenantSubmitSettings>;
}
