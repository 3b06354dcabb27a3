import { describe, expect, it } from 'vitest';
import { renderMigrationSql } from '@sms/db';

describe('renderMigrationSql', () => {
  it('replaces schema and role placeholders with quoted identifiers', () => {
    const sql = renderMigrationSql('GRANT SELECT ON {{schema}}.t TO {{ app_role }}, {{system_role}};', { schema: 'orch', app_role: 'orch_app', system_role: 'orch_system' }, 'f.sql');

    expect(sql).toBe('GRANT SELECT ON "orch".t TO "orch_app", "orch_system";');
  });

  it('refuses an unknown placeholder, naming it and the file', () => {
    expect(() => renderMigrationSql('SELECT {{tenant}};', { schema: 'orch' }, '0001_x.up.sql')).toThrow(/0001_x\.up\.sql uses \{\{tenant\}\}/);
  });

  it('refuses a placeholder that has no value', () => {
    expect(() => renderMigrationSql('GRANT SELECT ON t TO {{app_role}};', { schema: 'orch' }, 'f.sql')).toThrow(/no value was given/);
  });

  it('refuses a value that is not a plain lower-case identifier', () => {
    expect(() => renderMigrationSql('SELECT * FROM {{schema}}.t;', { schema: 'orch"; DROP TABLE x; --' }, 'f.sql')).toThrow(/must match/);
  });
});
