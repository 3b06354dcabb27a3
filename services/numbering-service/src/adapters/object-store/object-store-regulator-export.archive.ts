import { ObjectAlreadyExistsError, ObjectRetainedError } from '@sms/object-store';
import type { ObjectStore } from '@sms/object-store';
import type { RegulatorExportArchive } from '../../index.js';

/**
 * The export archive over the platform's object store (S3 with Object Lock in production: `retainUntil`
 * becomes COMPLIANCE mode; a local folder that refuses overwrite and delete in embedded mode). `putOnce`
 * asks the store to refuse an existing key (`ifAbsent`) and reports `exists` instead of replacing it.
 * The store is resolved on first use, so a service that never exports never touches it.
 */
export class ObjectStoreRegulatorExportArchive implements RegulatorExportArchive {
  constructor(private readonly store: () => ObjectStore) {}

  get(key: string): Promise<Uint8Array | null> {
    return this.store().get(key);
  }

  async putOnce(key: string, bytes: Uint8Array, options: { readonly contentType: string; readonly retainUntil: Date }): Promise<'written' | 'exists'> {
    try {
      await this.store().put(key, bytes, { contentType: options.contentType, retainUntil: options.retainUntil, ifAbsent: true });
      return 'written';
    } catch (error) {
      if (error instanceof ObjectAlreadyExistsError || error instanceof ObjectRetainedError) return 'exists';
      throw error;
    }
  }
}
