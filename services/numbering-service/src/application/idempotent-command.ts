import { err, ok } from '@sms/kernel';
import type { Clock, Result } from '@sms/kernel';
import { numberingError } from '../domain/numbering-errors.js';
import type { NumberingError } from '../domain/numbering-errors.js';
import { principalOf } from '../domain/permissions.js';
import type { Actor } from '../domain/permissions.js';
import { fingerprintRequest } from '../domain/request-fingerprint.js';
import type { IdempotencyRequest, IdempotencyStore } from './ports/idempotency.store.port.js';
import type { NumberingTransaction, UnitOfWork } from './ports/unit-of-work.port.js';

export interface CommandDeps {
  readonly unitOfWork: UnitOfWork;
  readonly idempotency: IdempotencyStore;
  readonly clock: Clock;
}

export interface CommandMeta {
  /** The command's stable name, e.g. `number.reserve`; part of the key scope. */
  readonly name: string;
  readonly actor: Actor;
  readonly idempotencyKey: string;
  /** The request body (without the key) whose fingerprint a retry must match. */
  readonly request: unknown;
}

const KEY = /^[\x21-\x7e]{1,200}$/;

/** Checks an idempotency key: 1–200 printable ASCII characters without spaces (a UUID fits). */
export function checkIdempotencyKey(key: string): Result<string, NumberingError> {
  return KEY.test(key)
    ? ok(key)
    : err(
        numberingError('NUMBERING.INVALID_ARGUMENT', 'idempotencyKey must be 1–200 printable ASCII characters', {
          field: 'idempotencyKey',
        }),
      );
}

/** Outcomes that a retry should re-run rather than replay: a lost race may well succeed next time. */
const isTransient = (error: NumberingError): boolean => error.code === 'NUMBERING.CONFLICT';

/**
 * Runs a state-changing command once per idempotency key: a retry with the same key and body answers the
 * first outcome; the same key with a different body, or while the first call still runs, is refused.
 * A success is recorded inside the command's transaction; a business refusal is recorded after it; a lost
 * race (CONFLICT) or a thrown fault releases the key so a retry runs again.
 */
export async function runIdempotentCommand<T>(
  deps: CommandDeps,
  meta: CommandMeta,
  work: (tx: NumberingTransaction, now: Date) => Promise<Result<T, NumberingError>>,
): Promise<Result<T, NumberingError>> {
  const key = checkIdempotencyKey(meta.idempotencyKey);
  if (!key.ok) return key;
  const now = deps.clock.now();
  const request: IdempotencyRequest = {
    scope: `${meta.name}:${principalOf(meta.actor)}`,
    key: key.value,
    fingerprint: fingerprintRequest({ command: meta.name, request: meta.request }),
  };
  const claim = await deps.idempotency.claim<T>(request, now);
  switch (claim.status) {
    case 'replay':
      return claim.outcome;
    case 'mismatch':
      return err(
        numberingError('NUMBERING.IDEMPOTENCY_KEY_REUSED', 'this idempotency key was used for a different request', {
          field: 'idempotencyKey',
        }),
      );
    case 'in_progress':
      return err(numberingError('NUMBERING.IDEMPOTENCY_IN_PROGRESS', 'a request with this idempotency key is still running'));
    case 'claimed':
      break;
  }

  let outcome: Result<T, NumberingError>;
  try {
    outcome = await deps.unitOfWork.run(async (tx) => {
      const result = await work(tx, now);
      if (result.ok) await tx.idempotency.complete(request, result, now);
      return result;
    });
  } catch (fault) {
    await deps.idempotency.release(request).catch(() => undefined);
    throw fault;
  }
  if (!outcome.ok) {
    if (isTransient(outcome.error)) await deps.idempotency.release(request);
    else await deps.idempotency.complete(request, outcome, now);
  }
  return outcome;
}
