import { createConfigClient } from '@sms/config-client';
import type { ResolvedConfig } from '@sms/config-client';
import { ManualClock } from '@sms/kernel';
import { describe, expect, it } from 'vitest';
import { ConfigServiceTenantSettings } from '../../../src/adapters/config/config-service-tenant-settings.js';

const defaults = { maxPartsPerMessage: 10, submitRateLimit: { messagesPerSecond: 100, burst: 1_000 } };

function settingsWith(values: Record<string, unknown> | 'unreachable') {
  const client = createConfigClient({
    fetchResolved: (nodeRef) =>
      values === 'unreachable'
        ? Promise.reject(new Error('config-service down'))
        : Promise.resolve<ResolvedConfig>({
            path: `/GLOBAL/${nodeRef}`,
            tenantId: nodeRef.replace('tenant:', ''),
            values: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value: value as never }])),
          }),
    ttlMs: 5_000,
    clock: new ManualClock(),
  });
  return new ConfigServiceTenantSettings(client, defaults);
}

describe('ConfigServiceTenantSettings', () => {
  it("answers the tenant's resolved maximum parts and submit rate, with the default burst", async () => {
    const settings = settingsWith({ 'sms.max_parts_per_message': 4, 'sms.submit_rate_per_second': 250 });

    expect(await settings.forTenant('acme')).toEqual({ maxPartsPerMessage: 4, submitRateLimit: { messagesPerSecond: 250, burst: 1_000 } });
  });

  it('answers the defaults when config-service cannot be reached', async () => {
    const settings = settingsWith('unreachable');

    expect(await settings.forTenant('acme')).toEqual(defaults);
  });

  it('answers the default for a value outside what a message can have', async () => {
    const settings = settingsWith({ 'sms.max_parts_per_message': 300, 'sms.submit_rate_per_second': 0 });

    expect(await settings.forTenant('acme')).toEqual(defaults);
  });
});
