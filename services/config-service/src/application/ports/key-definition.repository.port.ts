import type { KeyDefinition } from '../../domain/key-definition.js';

/** The key catalogue. Throws only on infrastructure faults. */
export interface KeyDefinitionRepository {
  find(key: string): Promise<KeyDefinition | null>;
  /** Every defined key, deprecated ones included, sorted by name. */
  list(): Promise<KeyDefinition[]>;
  /** False when the key is already defined. */
  insert(definition: KeyDefinition): Promise<boolean>;
  /** Compare-and-swap on the definition's version; false when the stored version is not `expectedVersion`. */
  update(definition: KeyDefinition, expectedVersion: number): Promise<boolean>;
}
