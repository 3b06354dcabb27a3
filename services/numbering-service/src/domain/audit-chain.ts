import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { JsonObject } from './json.js';

/** The hash the first row chains from. */
export const GENESIS_HASH = '0'.repeat(64);

/** Who did it, as recorded in the audit trail. */
export interface AuditActor {
  readonly role: string;
  readonly id: string;
  readonly tenantId: string | null;
}

/** One audited change, before it is placed in the chain. Instants are ISO strings. */
export interface AuditEntry {
  readonly id: string;
  readonly occurredAt: string;
  readonly actor: AuditActor;
  /** What happened, e.g. `number.reserve`, `inventory.import`, `catalog.contract.create`. */
  readonly action: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly tenantId: string | null;
  readonly fromState: string | null;
  readonly toState: string | null;
  /** The aggregate's version after the change, when it has one. */
  readonly aggregateVersion: number | null;
  readonly idempotencyKey: string | null;
  readonly details: JsonObject;
}

/** An entry placed in the chain: its position, the previous row's hash, and its own hash. */
export interface AuditRow extends AuditEntry {
  /** 1, 2, 3, … with no gaps. */
  readonly seq: number;
  readonly prevHash: string;
  /** SHA-256 (hex) of `prevHash` followed by the RFC 8785 canonical JSON of the row without `prevHash` and `hash`. */
  readonly hash: string;
}

/** The last row of the chain: what the next row links to. */
export interface AuditChainHead {
  readonly seq: number;
  readonly hash: string;
}

const bodyOf = (row: AuditEntry & { readonly seq: number }): JsonObject => ({
  seq: row.seq,
  id: row.id,
  occurredAt: row.occurredAt,
  actor: { role: row.actor.role, id: row.actor.id, tenantId: row.actor.tenantId },
  action: row.action,
  aggregateType: row.aggregateType,
  aggregateId: row.aggregateId,
  tenantId: row.tenantId,
  fromState: row.fromState,
  toState: row.toState,
  aggregateVersion: row.aggregateVersion,
  idempotencyKey: row.idempotencyKey,
  details: row.details,
});

/** RFC 8785 (JCS) canonical JSON of a row's content: what its hash covers besides the previous hash. */
export function canonicalAuditBody(row: AuditEntry & { readonly seq: number }): string {
  const text = canonicalize(bodyOf(row));
  if (text === undefined) throw new TypeError('audit row cannot be canonicalized');
  return text;
}

export const computeAuditHash = (prevHash: string, row: AuditEntry & { readonly seq: number }): string =>
  createHash('sha256').update(prevHash, 'utf8').update(canonicalAuditBody(row), 'utf8').digest('hex');

/** Places `entry` after `head` (or first, when the chain is empty). */
export function sealAuditRow(head: AuditChainHead | null, entry: AuditEntry): AuditRow {
  const seq = head === null ? 1 : head.seq + 1;
  const prevHash = head === null ? GENESIS_HASH : head.hash;
  const hash = computeAuditHash(prevHash, { ...entry, seq });
  return { ...entry, seq, prevHash, hash };
}

export type AuditBreakReason =
  /** The row's content no longer matches its hash (altered). */
  | 'hash_mismatch'
  /** The row does not link to the previous row's hash (a row before it was deleted, inserted or altered). */
  | 'prev_hash_mismatch'
  /** The sequence skips or repeats (a row deleted or inserted). */
  | 'sequence_gap'
  /** The chain no longer holds the anchored head recorded by an earlier verification (truncated or rewritten). */
  | 'anchor_mismatch';

export interface AuditChainBreak {
  readonly seq: number;
  readonly id: string | null;
  readonly reason: AuditBreakReason;
}

export type AuditChainVerdict =
  | { readonly intact: true; readonly rowCount: number; readonly head: AuditChainHead | null }
  | { readonly intact: false; readonly rowCount: number; readonly firstBroken: AuditChainBreak };

/**
 * Walks a chain row by row (rows in `seq` order), so a verification can page through a large table.
 * `push` returns the first break it finds and keeps returning it; `verdict` summarises.
 */
export class AuditChainVerifier {
  private previous: AuditChainHead | null;
  private readonly anchor: AuditChainHead | null;
  private anchorSeen = false;
  private count = 0;
  private broken: AuditChainBreak | null = null;

  /**
   * `start`: the head before the first row pushed (omit to verify from the genesis row).
   * `anchor`: a head recorded by an earlier verification (or published outside the database); the chain
   * must still contain it unchanged. A chain rewritten wholesale by someone who recomputed every hash is
   * only detectable this way.
   */
  constructor(options: { readonly start?: AuditChainHead | null; readonly anchor?: AuditChainHead | null } = {}) {
    this.previous = options.start ?? null;
    this.anchor = options.anchor ?? null;
  }

  push(row: AuditRow): AuditChainBreak | null {
    if (this.broken !== null) return this.broken;
    this.count += 1;
    const expectedSeq = this.previous === null ? 1 : this.previous.seq + 1;
    const expectedPrev = this.previous === null ? GENESIS_HASH : this.previous.hash;
    if (row.seq !== expectedSeq) this.broken = { seq: row.seq, id: row.id, reason: 'sequence_gap' };
    else if (row.prevHash !== expectedPrev) this.broken = { seq: row.seq, id: row.id, reason: 'prev_hash_mismatch' };
    else if (computeAuditHash(row.prevHash, row) !== row.hash) this.broken = { seq: row.seq, id: row.id, reason: 'hash_mismatch' };
    else if (this.anchor !== null && row.seq === this.anchor.seq) {
      this.anchorSeen = true;
      if (row.hash !== this.anchor.hash) this.broken = { seq: row.seq, id: row.id, reason: 'anchor_mismatch' };
    }
    this.previous = { seq: row.seq, hash: row.hash };
    return this.broken;
  }

  verdict(): AuditChainVerdict {
    if (this.broken !== null) return { intact: false, rowCount: this.count, firstBroken: this.broken };
    if (this.anchor !== null && !this.anchorSeen && (this.previous === null || this.previous.seq < this.anchor.seq)) {
      return { intact: false, rowCount: this.count, firstBroken: { seq: this.anchor.seq, id: null, reason: 'anchor_mismatch' } };
    }
    return { intact: true, rowCount: this.count, head: this.previous };
  }
}

/** Verifies a whole chain held in memory; see {@link AuditChainVerifier} for paging. */
export function verifyAuditChain(rows: Iterable<AuditRow>, anchor?: AuditChainHead): AuditChainVerdict {
  const verifier = new AuditChainVerifier({ anchor: anchor ?? null });
  for (const row of rows) {
    if (verifier.push(row) !== null) break;
  }
  return verifier.verdict();
}
