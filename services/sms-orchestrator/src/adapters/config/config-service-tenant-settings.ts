import type { ConfigClient } from '@sms/config-client';
import type { TenantSettings, TenantSubmitSettings } from '../../application/ports/tenant-settings.port.js';
import { MAX_PARTS_CEILING } from '../../domain/segmentation.js';

/** The config-service keys the orchestrator owns (config-service seeds them). */
export const TENANT_SETTING_KEYS = {
  maxPartsPerMessage: 'sms.max_parts_per_message',
  submitRatePerSecond: 'sms.submit_rate_per_second',
} as const;

/**
 * {@link TenantSettings} resolved per tenant by config-service through @sms/config-client (its
 * cache, stale-while-error and fallbacks), with `defaults` for whatever it has no usable value for.
 * The burst has no config key yet and always comes from `defaults`. Wired in `start-orchestrator.ts`
 * when `CONFIG_SERVICE_URL` is set.
 */
export class ConfigServiceTenantSettings implements TenantSettings {
  constructor(
    private readonly client: Pick<ConfigClient, 'get'>,
    private readonly defaults: TenantSubmitSettings,
  ) {}

  async forTenant(tenantId: string): Promise<TenantSubmitSettings> {
    const [parts, rate] = await Promise.all([
      this.client.get({ tenantId }, TENANT_SETTING_KEYS.maxPartsPerMessage, this.defaults.maxPartsPerMessage),
      this.client.get({ tenantId }, TENANT_SETTING_KEYS.submitRatePerSecond, this.defaults.submitRateLimit.messagesPerSecond),
    ]);
    const validParts = Number.isInteger(parts) && parts >= 1 && parts <= MAX_PARTS_CEILING;
    const validRate = Number.isFinite(rate) && rate > 0;
    return {
      maxPartsPerMessage: validParts ? parts : this.defaults.maxPartsPerMessage,
      submitRateLimit: {
        messagesPerSecond: validRate ? rate : this.defaults.submitRateLimit.messagesPerSecond,
        burst: this.defaults.submitRateLimit.burst,
      },
    };
  }
}
