import type { SmsMessage } from '../../domain/sms-message.js';

/**
 * Stores messages of ONE tenant: the instance handed out by {@link UnitOfWork.run} is bound to
 * that tenant and its transaction (in Postgres, row-level security with `app.tenant_id`), so a
 * message of another tenant is never found, updated or overwritten through it. The Postgres
 * adapter persists {@link SmsMessage.toSnapshot} and rebuilds with {@link SmsMessage.restore}.
 *
 * Every method throws only for infrastructure faults (connection lost, …).
 */
export interface MessageRepository {
  /**
   * Stores new messages (version 0) in one statement.
   *
   * @throws when a message id already exists or a message belongs to another tenant (both are bugs).
   */
  insert(messages: readonly SmsMessage[]): Promise<void>;

  /** The tenant's message with this id, or null (also for any id of another tenant). */
  findById(messageId: string): Promise<SmsMessage | null>;

  /**
   * Compare-and-swap: stores the message only if the stored version still equals
   * `message.version`, and makes the stored version `message.version + 1`. Returns false, writing
   * nothing, when another writer updated it first (reload and decide again). The instance passed
   * in keeps its old version: reload before updating it a second time.
   */
  update(message: SmsMessage): Promise<boolean>;
}
