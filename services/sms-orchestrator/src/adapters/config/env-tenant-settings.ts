import type { TenantSettings, TenantSubmitSettings } from '../../application/ports/tenant-settings.port.js';

/**
 * {@link TenantSettings} with the same values for every tenant, from the environment
 * (`ORCH_MAX_PARTS_PER_MESSAGE`, `ORCH_SUBMIT_RATE_PER_SECOND`, `ORCH_SUBMIT_BURST`), used when
 * `CONFIG_SERVICE_URL` is not set. With it, `ConfigServiceTenantSettings` reads them per tenant and
 * falls back to these values.
 */
export class EnvTenantSettings implements TenantSettings {
  constructor(private readonly defaults: TenantSubmitSettings) {}

  forTenant(_tenantId: string): Promise<TenantSubmitSettings> {
    return Promise.resolve(this.defaults);
  }
}
