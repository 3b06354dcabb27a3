import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import type { RoleAssignmentRepository, RoleDefinitionRepository } from '../../application/ports/role.repository.port.js';
import type { Grant, RoleAssignment, RoleDefinition } from '../../domain/access.js';
import type { ConfigDatabase, RoleAssignmentsTable, RoleDefinitionsTable } from './config-database.js';

const byName = sql`name COLLATE "C"`;

export const toRoleDefinition = (row: Selectable<RoleDefinitionsTable>): RoleDefinition => ({
  name: row.name,
  description: row.description,
  system: row.system,
  tenantAssignable: row.tenant_assignable,
  grants: row.grants as Grant[],
  version: row.version,
  updatedAt: row.updated_at.toISOString(),
});

const toAssignment = (row: Selectable<RoleAssignmentsTable>): RoleAssignment => ({
  id: row.id,
  subjectId: row.subject_id,
  role: row.role,
  tenantId: row.tenant_id,
  assignedBy: row.assigned_by,
  assignedAt: row.assigned_at.toISOString(),
});

/**
 * Role definitions in `<schema>.role_definitions`. Every transaction reads them; only the system
 * role writes them, and row-level security refuses any write of a system role's row (those
 * change by migration only).
 */
export class PostgresRoleDefinitionRepository implements RoleDefinitionRepository {
  constructor(
    private readonly trx: Kysely<ConfigDatabase>,
    private readonly schema: string,
  ) {}

  async find(name: string): Promise<RoleDefinition | null> {
    const row = await this.trx.withSchema(this.schema).selectFrom('role_definitions').selectAll().where('name', '=', name).executeTakeFirst();
    return row === undefined ? null : toRoleDefinition(row);
  }

  async list(): Promise<RoleDefinition[]> {
    const rows = await this.trx.withSchema(this.schema).selectFrom('role_definitions').selectAll().orderBy(byName).execute();
    return rows.map(toRoleDefinition);
  }

  async put(role: RoleDefinition, expectedVersion: number | null): Promise<boolean> {
    const values = {
      description: role.description,
      system: role.system,
      tenant_assignable: role.tenantAssignable,
      grants: JSON.stringify(role.grants),
      version: role.version,
      updated_at: role.updatedAt,
    };
    if (expectedVersion === null) {
      const inserted = await this.trx
        .withSchema(this.schema)
        .insertInto('role_definitions')
        .values({ name: role.name, ...values })
        .onConflict((oc) => oc.column('name').doNothing())
        .executeTakeFirst();
      return inserted.numInsertedOrUpdatedRows === 1n;
    }
    const updated = await this.trx
      .withSchema(this.schema)
      .updateTable('role_definitions')
      .set(values)
      .where('name', '=', role.name)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return updated.numUpdatedRows === 1n;
  }

  async remove(name: string, expectedVersion: number): Promise<boolean> {
    const result = await this.trx
      .withSchema(this.schema)
      .deleteFrom('role_definitions')
      .where('name', '=', name)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return result.numDeletedRows === 1n;
  }
}

/** Role assignments in `<schema>.role_assignments`; an assignment bound to a tenant is visible only inside it. */
export class PostgresRoleAssignmentRepository implements RoleAssignmentRepository {
  constructor(
    private readonly trx: Kysely<ConfigDatabase>,
    private readonly schema: string,
  ) {}

  async find(subjectId: string, role: string, tenantId: string | null): Promise<RoleAssignment | null> {
    const row = await this.trx
      .withSchema(this.schema)
      .selectFrom('role_assignments')
      .selectAll()
      .where('subject_id', '=', subjectId)
      .where('role', '=', role)
      .where((eb) => (tenantId === null ? eb('tenant_id', 'is', null) : eb('tenant_id', '=', tenantId)))
      .executeTakeFirst();
    return row === undefined ? null : toAssignment(row);
  }

  async findById(id: string): Promise<RoleAssignment | null> {
    const row = await this.trx.withSchema(this.schema).selectFrom('role_assignments').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : toAssignment(row);
  }

  async list(filter: { readonly subjectId?: string; readonly tenantId?: string; readonly role?: string }): Promise<RoleAssignment[]> {
    let query = this.trx.withSchema(this.schema).selectFrom('role_assignments').selectAll();
    if (filter.subjectId !== undefined) query = query.where('subject_id', '=', filter.subjectId);
    if (filter.tenantId !== undefined) query = query.where('tenant_id', '=', filter.tenantId);
    if (filter.role !== undefined) query = query.where('role', '=', filter.role);
    const rows = await query.orderBy(sql`subject_id COLLATE "C"`).orderBy(sql`role COLLATE "C"`).execute();
    return rows.map(toAssignment);
  }

  async insert(assignment: RoleAssignment): Promise<boolean> {
    const result = await this.trx
      .withSchema(this.schema)
      .insertInto('role_assignments')
      .values({
        id: assignment.id,
        subject_id: assignment.subjectId,
        role: assignment.role,
        tenant_id: assignment.tenantId,
        assigned_by: assignment.assignedBy,
        assigned_at: assignment.assignedAt,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return result.numInsertedOrUpdatedRows === 1n;
  }

  async remove(id: string): Promise<boolean> {
    const result = await this.trx.withSchema(this.schema).deleteFrom('role_assignments').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows === 1n;
  }
}
