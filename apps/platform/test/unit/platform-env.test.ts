import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@sms/config';
import { platformEnv } from '../../src/platform-env.js';

describe('the platform’s own variables', () => {
  it('leaves the seed to the mode and puts the simulators on 2775 and up by default', () => {
    const env = loadConfig(platformEnv, {});

    expect(env).toEqual({ NODE_ENV: 'development', PLATFORM_SIMULATOR_HOST: '127.0.0.1', PLATFORM_SIMULATOR_BASE_PORT: 2775 });
  });

  it('refuses the demo seed in production, naming PLATFORM_SEED', () => {
    expect(() => loadConfig(platformEnv, { NODE_ENV: 'production', PLATFORM_SEED: 'demo' })).toThrow(ConfigError);
    expect(() => loadConfig(platformEnv, { NODE_ENV: 'production', PLATFORM_SEED: 'demo' })).toThrow(/PLATFORM_SEED/);
  });

  it('refuses an unknown seed, naming the values it takes', () => {
    expect(() => loadConfig(platformEnv, { PLATFORM_SEED: 'everything' })).toThrow(/PLATFORM_SEED.*demo, off/);
  });
});
