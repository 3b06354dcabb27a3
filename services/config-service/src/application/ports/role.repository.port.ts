import type { RoleAssignment, RoleDefinition } from '../../domain/access.js';

/** Role definitions (system roles are seeded by migration). Throws only on infrastructure faults. */
export interface RoleDefinitionRepository {
  find(name: string): Promise<RoleDefinition | null>;
  /** Every role, sorted by name. */
  list(): Promise<RoleDefinition[]>;
  /**
   * Inserts (`expectedVersion` null) or replaces a role when its stored version is `expectedVersion`;
   * false on a version mismatch or when inserting a name that exists.
   */
  put(role: RoleDefinition, expectedVersion: number | null): Promise<boolean>;
  /** Deletes a role when its stored version is `expectedVersion`; false otherwise. */
  remove(name: string, expectedVersion: number): Promise<boolean>;
}

/** Who holds which role, where. Throws only on infrastructure faults. */
export interface RoleAssignmentRepository {
  find(subjectId: string, role: string, tenantId: string | null): Promise<RoleAssignment | null>;
  findById(id: string): Promise<RoleAssignment | null>;
  /** Assignments matching every given filter, sorted by subject then role. */
  list(filter: { readonly subjectId?: string; readonly tenantId?: string; readonly role?: string }): Promise<RoleAssignment[]>;
  /** False when the same (subject, role, tenant) is already assigned. */
  insert(assignment: RoleAssignment): Promise<boolean>;
  /** False when no such assignment exists. */
  remove(id: string): Promise<boolean>;
}
