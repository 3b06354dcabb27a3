import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import type { Kysely } from 'kysely';
import { withSystem } from '@sms/db';
import type { Clock } from '@sms/kernel';
import type { Logger } from '@sms/logging';
import type { SecretStore } from '@sms/secrets';
import { CallbackUrl, isInternalIpLiteral } from '../../domain/callback-url.js';
import type { CallbackUrlPolicy } from '../../domain/callback-url.js';
import type { MessageStatusChangedData } from '../../domain/message-events.js';
import { publicStatusOf } from '../../domain/message-status.js';
import { SIGNATURE_HEADER, signCallback } from './callback-signature.js';

export interface CallbackRetrySettings {
  /** Delay before the second attempt; doubles each attempt (full jitter between half and all of it). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Attempts in all, the first included; then the delivery is recorded as failed. */
  readonly maxAttempts: number;
  /** Time limit of one POST (connect to last byte). */
  readonly timeoutMs: number;
}

export interface CallbackDispatcherOptions {
  readonly db: Kysely<unknown>;
  readonly schema: string;
  readonly systemRole: string;
  /** Base path `orch`: secrets at `tenants/<tenantId>/callback-secret`. */
  readonly secretStore: () => SecretStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly urlPolicy: CallbackUrlPolicy;
  readonly retry: CallbackRetrySettings;
  readonly random?: () => number;
  /** Where `orch_callback_attempts_total{outcome}` is registered. */
  readonly registry?: Registry;
  /**
   * How long a claimed delivery stays invisible to other workers while it is being posted.
   * Default: twice the POST time limit, at least 60 s (a claim must outlive its attempt).
   */
  readonly claimMs?: number;
}

interface DeliveryRow {
  readonly event_id: string;
  readonly tenant_id: string;
  readonly callback_url: string;
  readonly body: string;
  readonly attempts: number;
}

export type AttemptOutcome = 'delivered' | 'retry' | 'failed' | 'not-due';

/**
 * Posts each status change of a message with a callback URL to that URL, signed with the tenant's
 * secret, and records every delivery in `callback_deliveries`. A failed attempt (network error,
 * timeout, redirect, non-2xx) is retried with exponential backoff and jitter by the sweeper until
 * `maxAttempts`, then the delivery is recorded as failed. The secret is never logged.
 */
export class CallbackDispatcher {
  private readonly secrets = new Map<string, Promise<Buffer>>();
  private readonly random: () => number;
  private readonly attempts: Counter<'outcome'>;

  constructor(private readonly options: CallbackDispatcherOptions) {
    this.random = options.random ?? Math.random;
    this.attempts = new Counter({
      name: 'orch_callback_attempts_total',
      help: 'Status callback attempts by outcome: delivered (2xx), retry (failed, will be retried), failed (failed, attempt limit reached)',
      labelNames: ['outcome'],
      registers: options.registry ? [options.registry] : [],
    });
  }

  /** Records the delivery of a status-changed event (once per event id) and makes its first attempt. */
  async enqueue(eventId: string, data: MessageStatusChangedData): Promise<AttemptOutcome | 'no-callback'> {
    if (data.callbackUrl === null) return 'no-callback';
    const now = this.options.clock.now();
    const body = JSON.stringify({
      message_id: data.messageId,
      status: publicStatusOf(data.status),
      previous_status: publicStatusOf(data.previousStatus),
      error_code: data.errorCode,
      reason: data.reason,
      at: data.changedAt,
      client_reference: data.clientReference,
    });
    await withSystem(this.options.db, { role: this.options.systemRole }, (trx) =>
      sql`INSERT INTO ${sql.table(`${this.options.schema}.callback_deliveries`)}
            (event_id, tenant_id, message_id, callback_url, body, state, attempts, next_attempt_at, created_at, updated_at)
          VALUES (${eventId}, ${data.tenantId}, ${data.messageId}, ${data.callbackUrl}, ${body}, 'pending', 0, ${now}, ${now}, ${now})
          ON CONFLICT (event_id) DO NOTHING`.execute(trx),
    );
    return this.attempt(eventId);
  }

  /**
   * Attempts up to `limit` pending deliveries whose next attempt is due (what the sweeper runs).
   * They are claimed in one statement that skips rows another worker is claiming (`FOR UPDATE
   * SKIP LOCKED`) and pushes their next attempt past the claim: sweepers of several replicas
   * share the due deliveries, and each is posted by one of them.
   */
  async sweep(limit = 100): Promise<{ readonly attempted: number; readonly delivered: number }> {
    const claimed = await this.claim(sql`TRUE`, limit);
    let delivered = 0;
    for (const row of claimed) {
      if ((await this.deliver(row)) === 'delivered') delivered += 1;
    }
    return { attempted: claimed.length, delivered };
  }

  /** One attempt of one delivery, if it is due and no other worker claimed it. */
  async attempt(eventId: string): Promise<AttemptOutcome> {
    const [row] = await this.claim(sql`event_id = ${eventId}`, 1);
    return row === undefined ? 'not-due' : this.deliver(row);
  }

  // Claims up to `limit` due deliveries among those `which` selects, skipping any another worker
  // is claiming: hidden from other workers until the claim ends, their attempt counted (the count
  // is also the claim's token: see `deliver`). The candidates are a materialized CTE, locked once:
  // an `IN (SELECT … LIMIT … SKIP LOCKED)` may be rescanned and claim more than `limit`.
  private async claim(which: RawBuilder<unknown>, limit: number): Promise<readonly DeliveryRow[]> {
    const { db, schema, systemRole, clock } = this.options;
    const now = clock.now();
    const table = sql.table(`${schema}.callback_deliveries`);
    const claimMs = this.options.claimMs ?? Math.max(60_000, 2 * this.options.retry.timeoutMs);
    const claimedUntil = new Date(now.getTime() + claimMs);
    const claimed = await withSystem(db, { role: systemRole }, (trx) =>
      sql<DeliveryRow>`WITH due AS MATERIALIZED (
            SELECT event_id FROM ${table} WHERE ${which} AND state = 'pending' AND next_attempt_at <= ${now}
            ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
          UPDATE ${table} AS d SET next_attempt_at = ${claimedUntil}, attempts = d.attempts + 1, updated_at = ${now}
          FROM due WHERE d.event_id = due.event_id
          RETURNING d.event_id, d.tenant_id, d.callback_url, d.body, d.attempts`.execute(trx),
    );
    return claimed.rows;
  }

  // Posts a claimed delivery and records the result, unless the claim was lost meanwhile (it
  // outlived its claim and another worker claimed the delivery again: that worker's result stands).
  private async deliver(row: DeliveryRow): Promise<AttemptOutcome> {
    const { db, schema, systemRole, clock } = this.options;
    const table = sql.table(`${schema}.callback_deliveries`);
    const eventId = row.event_id;
    const stillOurs = sql`event_id = ${eventId} AND state = 'pending' AND attempts = ${row.attempts}`;
    const result = await this.post(row);
    const after = clock.now();
    if (result.ok) {
      const recorded = await withSystem(db, { role: systemRole }, (trx) =>
        sql`UPDATE ${table} SET state = 'delivered', delivered_at = ${after}, next_attempt_at = NULL,
              last_status_code = ${result.status}, last_error = NULL, updated_at = ${after}
            WHERE ${stillOurs}`.execute(trx),
      );
      if (recorded.numAffectedRows === 0n) this.options.logger.warn({ eventId, attempts: row.attempts }, 'status callback delivered after its claim was lost');
      this.attempts.inc({ outcome: 'delivered' });
      return 'delivered';
    }
    const exhausted = row.attempts >= this.options.retry.maxAttempts;
    const next = exhausted ? null : new Date(after.getTime() + this.backoffMs(row.attempts));
    await withSystem(db, { role: systemRole }, (trx) =>
      sql`UPDATE ${table} SET state = ${exhausted ? 'failed' : 'pending'}, next_attempt_at = ${next},
            last_status_code = ${result.status}, last_error = ${result.error}, updated_at = ${after}
          WHERE ${stillOurs}`.execute(trx),
    );
    this.options.logger.warn(
      { eventId, tenantId: row.tenant_id, attempts: row.attempts, statusCode: result.status, error: result.error, final: exhausted },
      exhausted ? 'status callback failed for good' : 'status callback attempt failed',
    );
    this.attempts.inc({ outcome: exhausted ? 'failed' : 'retry' });
    return exhausted ? 'failed' : 'retry';
  }

  private backoffMs(attempts: number): number {
    const { baseDelayMs, maxDelayMs } = this.options.retry;
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempts - 1));
    return Math.round(ceiling / 2 + (ceiling / 2) * this.random());
  }

  private async post(row: DeliveryRow): Promise<{ ok: boolean; status: number | null; error: string | null }> {
    // Checked again at send time: the deployment's policy may be stricter than when it was accepted.
    const url = CallbackUrl.parse(row.callback_url, this.options.urlPolicy);
    if (!url.ok) return { ok: false, status: null, error: `callback URL refused: ${url.error.message}` };
    if (!this.options.urlPolicy.allowLoopbackHttp && (await this.resolvesInternally(new URL(url.value.href).hostname))) {
      return { ok: false, status: null, error: 'callback host resolves to a loopback, private or link-local address' };
    }
    let secret: Buffer;
    try {
      secret = await this.secretOf(row.tenant_id);
    } catch (error) {
      return { ok: false, status: null, error: `signing secret unavailable (${error instanceof Error ? error.name : 'Error'})` };
    }
    const unix = Math.floor(this.options.clock.now().getTime() / 1000);
    try {
      const response = await fetch(url.value.href, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.retry.timeoutMs),
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signCallback(secret, unix, row.body), 'user-agent': 'sms-orchestrator-callbacks/1' },
        body: row.body,
      });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status, error: null };
      return { ok: false, status: response.status, error: response.status >= 300 && response.status < 400 ? 'redirect not followed' : `HTTP ${response.status}` };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      return { ok: false, status: null, error: name === 'TimeoutError' ? 'timeout' : `network error (${name})` };
    }
  }

  // A public name that resolves to an internal address (DNS rebinding) is refused. The connection
  // resolves again, so a name that changes between the two lookups is not caught: see failure-modes.md.
  private async resolvesInternally(hostname: string): Promise<boolean> {
    if (isIP(hostname) !== 0 || hostname.startsWith('[')) return false;
    try {
      const addresses = await lookup(hostname, { all: true });
      return addresses.some((a) => isInternalIpLiteral(a.family === 6 ? `[${a.address}]` : a.address));
    } catch {
      return false;
    }
  }

  // The tenant's signing secret, created (32 random bytes) on first use; cached in memory.
  private secretOf(tenantId: string): Promise<Buffer> {
    let secret = this.secrets.get(tenantId);
    if (secret === undefined) {
      secret = this.loadOrCreateSecret(tenantId);
      secret.catch(() => this.secrets.delete(tenantId));
      this.secrets.set(tenantId, secret);
    }
    return secret;
  }

  private async loadOrCreateSecret(tenantId: string): Promise<Buffer> {
    const store = this.options.secretStore();
    const path = `tenants/${tenantId}/callback-secret`;
    const existing = await store.get(path);
    if (existing?.['secret'] !== undefined) return Buffer.from(existing['secret'], 'hex');
    const created = randomBytes(32).toString('hex');
    await store.put(path, { secret: created });
    // Two replicas may race on first use: keep whichever version the store holds last.
    const stored = await store.get(path);
    return Buffer.from(stored?.['secret'] ?? created, 'hex');
  }
}
