import type { Clock } from '@sms/kernel';
import type { LeaseSnapshot } from '../../domain/lease-verdict.js';
import type { LeaseCache } from '../ports/lease-cache.port.js';

interface Slot {
  readonly version: number;
  /** null for a tombstone left by an invalidation. */
  readonly snapshot: LeaseSnapshot | null;
  readonly expiresAt: number;
}

/**
 * In-memory {@link LeaseCache} with the same version rule and TTL as the Redis adapter must have. It can
 * be switched off to act out a cache outage (every call then throws, as an unreachable Redis would).
 */
export class InMemoryLeaseCache implements LeaseCache {
  private readonly slots = new Map<string, Slot>();
  private reachable = true;
  /** Calls made, for tests that check the hot path used the cache. */
  readonly calls = { get: 0, put: 0, invalidate: 0 };

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 60_000,
  ) {}

  setReachable(reachable: boolean): void {
    this.reachable = reachable;
  }

  private ensureReachable(): void {
    if (!this.reachable) throw new Error('lease cache unreachable');
  }

  private live(sender: string): Slot | undefined {
    const slot = this.slots.get(sender);
    if (slot !== undefined && slot.expiresAt <= this.clock.now().getTime()) {
      this.slots.delete(sender);
      return undefined;
    }
    return slot;
  }

  get(sender: string): Promise<LeaseSnapshot | undefined> {
    this.calls.get += 1;
    this.ensureReachable();
    return Promise.resolve(this.live(sender)?.snapshot ?? undefined);
  }

  put(snapshot: LeaseSnapshot): Promise<void> {
    this.calls.put += 1;
    this.ensureReachable();
    const current = this.live(snapshot.sender);
    if (current === undefined || current.version <= snapshot.numberVersion) {
      this.slots.set(snapshot.sender, {
        version: snapshot.numberVersion,
        snapshot,
        expiresAt: this.clock.now().getTime() + this.ttlMs,
      });
    }
    return Promise.resolve();
  }

  invalidate(sender: string, numberVersion: number): Promise<void> {
    this.calls.invalidate += 1;
    this.ensureReachable();
    const current = this.live(sender);
    const version = Math.max(numberVersion, current?.version ?? 0);
    this.slots.set(sender, { version, snapshot: null, expiresAt: this.clock.now().getTime() + this.ttlMs });
    return Promise.resolve();
  }
}
