import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryCache } from '@sms/cache';
import type { MemoryCache } from '@sms/cache';
import { ExpireReservationOnTimer, ReserveNumber } from '../../../src/index.js';
import type { Actor, ReservationTimer, ReservationTimers, TimerOutcome } from '../../../src/index.js';
import { CacheReservationTimers, parseTimerKey, timerKey } from '../../../src/adapters/cache/cache-reservation.timers.js';
import { ACME, createWorld, staffActor, tenantActor } from '../../support/world.js';
import type { World } from '../../support/world.js';

const MSISDN = '+93701000001';
const TIMER_ACTOR: Actor = { role: 'system', id: 'numbering-reservation-timer' };
const system = staffActor('system');

/**
 * A world whose reservations arm timers on the memory cache, on the world's (manual) clock, wired as the
 * service wires them: each fired timer runs ExpireReservationOnTimer. `fire()` is what the cache's sweep
 * timer does in production, called here after moving the clock.
 */
function timedWorld() {
  const world = createWorld();
  const cache = createMemoryCache({ clock: world.clock, keyPrefix: 'numbering:', sweepIntervalMs: 0 });
  const timers = new CacheReservationTimers(cache, world.clock);
  const onTimer = new ExpireReservationOnTimer({ expire: world.expire, timers, clock: world.clock, actor: TIMER_ACTOR });
  const outcomes: TimerOutcome[] = [];
  const reserve = new ReserveNumber(world.deps, { timers });
  world.addNumber(MSISDN);
  return {
    world,
    cache,
    timers,
    onTimer,
    outcomes,
    async listen() {
      await timers.listen(async (timer) => {
        outcomes.push(await onTimer.execute(timer));
      });
    },
    async reserve(ttlSeconds: number) {
      const result = await reserve.execute({
        actor: tenantActor(ACME),
        idempotencyKey: world.key(),
        number: MSISDN,
        tenantId: ACME,
        tenantPoolId: world.tenantPools.acme.id,
        ttlSeconds,
      });
      if (!result.ok || result.value.reservation === null) throw new Error('arrange: reserve failed');
      return { version: result.value.version, expiresAt: new Date(result.value.reservation.expiresAt), numberId: result.value.id };
    },
    async fire() {
      cache.tick();
      await Promise.resolve();
      await timers.drain();
    },
  };
}

const stateOf = async (world: World) => (await world.store.numbers.findByValue(MSISDN))?.lifecycle;
const eventsOf = (world: World, type: string) => world.store.outboxEvents().filter((e) => e.type === type).length;

describe('reservation TTL timers', () => {
  let cache: MemoryCache | undefined;
  afterEach(async () => {
    await cache?.close();
  });

  it('releases a reservation when its timer fires at the TTL, with the release recorded at the TTL', async () => {
    const t = timedWorld();
    cache = t.cache;
    await t.listen();
    const { expiresAt } = await t.reserve(60);

    t.world.clock.advance(60_000);
    await t.fire();

    const lifecycle = await stateOf(t.world);
    if (lifecycle?.state !== 'quarantined') throw new Error(`expected quarantined, got ${lifecycle?.state}`);
    const lateMs = lifecycle.quarantine.startedAt.getTime() - expiresAt.getTime();
    expect(lifecycle.quarantine.reason).toBe('reservation_expired');
    expect(lateMs).toBeGreaterThanOrEqual(0);
    expect(lateMs).toBeLessThanOrEqual(2000);
    expect(t.outcomes).toEqual([{ outcome: 'expired', lateMs }]);
  });

  it('does not fire one millisecond before the TTL', async () => {
    const t = timedWorld();
    cache = t.cache;
    await t.listen();
    await t.reserve(60);

    t.world.clock.advance(59_999);
    await t.fire();

    expect((await stateOf(t.world))?.state).toBe('reserved');
    expect(t.outcomes).toEqual([]);
  });

  it('arms the timer again when it fires before the TTL by the service clock, and releases at the TTL', async () => {
    const t = timedWorld();
    cache = t.cache;
    await t.listen();
    const { version, expiresAt, numberId } = await t.reserve(60);

    const early = await t.onTimer.execute({ numberId, number: MSISDN, version, expiresAt, attempt: 0 });
    expect(early).toEqual({ outcome: 'rearmed' });
    expect((await stateOf(t.world))?.state).toBe('reserved');

    t.world.clock.advance(60_000);
    await t.fire();

    // Two timers fire at the TTL (the first armed and the re-armed one): one releases, the other finds it done.
    expect(t.outcomes.map((o) => o.outcome).sort()).toEqual(['expired', 'moved_on']);
    expect((await stateOf(t.world))?.state).toBe('quarantined');
    expect(eventsOf(t.world, 'numbering.reservation.expired.v1')).toBe(1);
  });

  it('leaves alone the lease a reservation became before its timer fired', async () => {
    const t = timedWorld();
    cache = t.cache;
    await t.listen();
    await t.reserve(60);
    const assigned = await t.world.assign.execute({
      actor: tenantActor(ACME),
      idempotencyKey: t.world.key(),
      number: MSISDN,
      tenantId: ACME,
      uses: ['transactional'],
    });
    expect(assigned.ok).toBe(true);

    t.world.clock.advance(60_000);
    await t.fire();

    expect((await stateOf(t.world))?.state).toBe('assigned');
    expect(t.outcomes).toEqual([{ outcome: 'moved_on', code: 'NUMBERING.CONFLICT' }]);
  });

  it('never releases twice when the safety net got there first: the timer finds the version moved on', async () => {
    const t = timedWorld();
    cache = t.cache;
    await t.listen();
    const { version } = await t.reserve(60);
    t.world.clock.advance(61_000);
    const bySafetyNet = await t.world.expire.execute({
      actor: system,
      idempotencyKey: `job:reservation-expiry:x:v${version}`,
      number: MSISDN,
      expectedVersion: version,
    });
    expect(bySafetyNet.ok).toBe(true);

    await t.fire();

    expect(t.outcomes).toEqual([{ outcome: 'moved_on', code: 'NUMBERING.INVALID_TRANSITION' }]);
    expect(eventsOf(t.world, 'numbering.reservation.expired.v1')).toBe(1);
    expect(t.world.store.auditRows().filter((row) => row.action === 'number.expire')).toHaveLength(1);
  });

  it('never releases twice when both paths read the same version at once: one of them loses the compare-and-swap', async () => {
    const t = timedWorld();
    cache = t.cache;
    const { version, expiresAt, numberId } = await t.reserve(60);
    t.world.clock.advance(60_000);

    const [timer, safetyNet] = await Promise.all([
      t.onTimer.execute({ numberId, number: MSISDN, version, expiresAt, attempt: 0 }),
      t.world.expire.execute({ actor: system, idempotencyKey: `job:reservation-expiry:${numberId}:v${version}`, number: MSISDN, expectedVersion: version }),
    ]);

    const released = [timer.outcome === 'expired', safetyNet.ok].filter(Boolean);
    expect(released).toHaveLength(1);
    expect(eventsOf(t.world, 'numbering.reservation.expired.v1')).toBe(1);
  });

  it('still reserves when the timer cannot be armed; the reservation is left to the safety net', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);
    const down: ReservationTimers = { arm: () => Promise.reject(new Error('Redis is not reachable')) };
    const reserved = await new ReserveNumber(world.deps, { timers: down }).execute({
      actor: tenantActor(ACME),
      idempotencyKey: world.key(),
      number: MSISDN,
      tenantId: ACME,
      tenantPoolId: world.tenantPools.acme.id,
      ttlSeconds: 60,
    });
    world.clock.advance(60_000);
    const bySafetyNet = await world.expire.execute({ actor: system, idempotencyKey: world.key(), number: MSISDN });

    expect(reserved.ok).toBe(true);
    expect(bySafetyNet).toMatchObject({ ok: true, value: { state: 'quarantined' } });
  });

  it('refuses an expiry whose expected version is not a positive integer, naming the field', async () => {
    const world = createWorld();
    world.addNumber(MSISDN);

    const result = await world.expire.execute({ actor: system, idempotencyKey: world.key(), number: MSISDN, expectedVersion: 0 });

    expect(result).toMatchObject({ ok: false, error: { code: 'NUMBERING.INVALID_ARGUMENT', details: { field: 'expectedVersion' } } });
  });
});

describe('reservation timer keys', () => {
  const timer: ReservationTimer = {
    numberId: '00000000-0000-7000-8000-000000000001',
    number: '+93701000001',
    version: 7,
    expiresAt: new Date('2026-05-01T10:01:00.000Z'),
    attempt: 2,
  };

  it('reads back the timer it names', () => {
    expect(parseTimerKey(timerKey(timer))).toEqual(timer);
  });

  it.each(['lease:+93701000001', 'reservation-ttl:', 'reservation-ttl:a:b:c:d:e', 'reservation-ttl:id:1:2:3', 'reservation-ttl::1:2:3:4040'])(
    'ignores the key %s, which it did not write',
    (key) => {
      expect(parseTimerKey(key)).toBeNull();
    },
  );
});
