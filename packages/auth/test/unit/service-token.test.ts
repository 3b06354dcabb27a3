import { describe, expect, it } from 'vitest';
import { ManualClock } from '@sms/kernel';
import { devServiceToken, staticServiceToken } from '@sms/auth';
import type { MintOptions } from '@sms/auth';

const identity = { subject: 'service:smpp-gateway', serviceName: 'smpp-gateway', roles: ['service'] } as const;

function countingSigner() {
  const minted: MintOptions[] = [];
  return {
    minted,
    mint: (options: MintOptions) => {
      minted.push(options);
      return Promise.resolve(`token-${minted.length}`);
    },
  };
}

describe('service tokens', () => {
  it('answers the deployment’s token as given', async () => {
    expect(await staticServiceToken('abc').token()).toBe('abc');
  });

  it('mints an hour-long token with the service identity and reuses it until five minutes before it expires', async () => {
    const clock = new ManualClock(new Date('2026-11-23T10:00:00.000Z'));
    const signer = countingSigner();
    const tokens = devServiceToken(signer, identity, clock);

    expect(await tokens.token()).toBe('token-1');
    expect(signer.minted[0]).toMatchObject({ subject: 'service:smpp-gateway', serviceName: 'smpp-gateway', roles: ['service'], ttlSec: 3600 });
    clock.advance(55 * 60_000 - 1);
    expect(await tokens.token()).toBe('token-1');
    clock.advance(1);
    expect(await tokens.token()).toBe('token-2');
  });

  it('mints once for callers asking at the same time', async () => {
    const signer = countingSigner();
    const tokens = devServiceToken(signer, identity, new ManualClock(new Date()));

    const answers = await Promise.all([tokens.token(), tokens.token(), tokens.token()]);

    expect(answers).toEqual(['token-1', 'token-1', 'token-1']);
    expect(signer.minted).toHaveLength(1);
  });
});
