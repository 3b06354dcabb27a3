import { SmsMessage } from '../../domain/sms-message.js';
import type { SmsMessageSnapshot } from '../../domain/sms-message.js';
import type { DueMessageFinder, MessageRef } from '../ports/due-message.finder.port.js';
import type { MessageRepository } from '../ports/message.repository.port.js';
import type { UndoLog } from './undo-log.js';

/**
 * Messages in memory, for unit tests. {@link scoped} hands out a repository bound to one tenant,
 * as row-level security would: another tenant's rows are invisible and untouchable. Writes apply
 * at once and are undone if the unit of work rolls back (no isolation between concurrent units
 * of work; compare-and-swap still makes exactly one of two racing updates win).
 */
export class InMemoryMessageStore implements DueMessageFinder {
  private readonly rows = new Map<string, SmsMessageSnapshot>();

  scoped(tenantId: string, undo: UndoLog): MessageRepository {
    const rows = this.rows;
    return {
      insert(messages) {
        for (const message of messages) {
          if (message.tenantId !== tenantId) throw new Error(`message ${message.id} belongs to another tenant (row-level security)`);
          if (rows.has(message.id)) throw new Error(`duplicate key: message ${message.id} already exists`);
        }
        for (const message of messages) {
          rows.set(message.id, message.toSnapshot());
          undo.add(() => rows.delete(message.id));
        }
        return Promise.resolve();
      },
      findById(messageId) {
        const row = rows.get(messageId);
        return Promise.resolve(row !== undefined && row.tenantId === tenantId ? SmsMessage.restore(row) : null);
      },
      update(message) {
        const row = rows.get(message.id);
        if (row === undefined || row.tenantId !== tenantId || row.tenantId !== message.tenantId || row.version !== message.version) {
          return Promise.resolve(false);
        }
        rows.set(message.id, { ...message.toSnapshot(), version: message.version + 1 });
        undo.add(() => rows.set(message.id, row));
        return Promise.resolve(true);
      },
    };
  }

  findDue(now: Date, limit: number): Promise<readonly MessageRef[]> {
    const due: { ref: MessageRef; at: number }[] = [];
    for (const row of this.rows.values()) {
      if (row.status === 'accepted' && row.nextAttemptAt !== null && row.nextAttemptAt <= now) {
        due.push({ ref: { tenantId: row.tenantId, messageId: row.id }, at: row.nextAttemptAt.getTime() });
      }
    }
    const refs = due.sort((a, b) => a.at - b.at).slice(0, limit).map((entry) => entry.ref);
    return Promise.resolve(refs);
  }

  /** Every stored row, for assertions. */
  all(): SmsMessageSnapshot[] {
    return [...this.rows.values()];
  }

  get(messageId: string): SmsMessageSnapshot | undefined {
    return this.rows.get(messageId);
  }
}
