import { uuidv7 } from '@sms/kernel';
import type { Clock, IdGenerator } from '@sms/kernel';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * The creation time a UUIDv7 carries in its first 48 bits (Unix milliseconds): the partition key
 * of `orch.sms_messages`, so a lookup by id alone names its partition. Null for anything that is
 * not a UUIDv7 (such an id cannot belong to a stored message).
 */
export function messageIdTime(id: string): Date | null {
  if (!UUID_V7.test(id)) return null;
  const ms = Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
  return new Date(ms);
}

/** UUIDv7 ids stamped with the clock's time, so a message's id and its acceptance time agree (tests move the clock). */
export function clockUuidv7(clock: Clock): IdGenerator {
  return { next: () => uuidv7(clock.now().getTime()) };
}
