import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { tenantIsolationDownSql, tenantIsolationSql } from '@sms/db';

describe('tenantIsolationSql', () => {
  it('enables and forces row-level security with a tenant policy on reads and writes', () => {
    const sql = tenantIsolationSql({ schema: 'orch', table: 'messages' });

    expect(sql).toBe(
      [
        'ALTER TABLE "orch"."messages" ENABLE ROW LEVEL SECURITY;',
        'ALTER TABLE "orch"."messages" FORCE ROW LEVEL SECURITY;',
        'CREATE POLICY "messages_tenant_isolation" ON "orch"."messages"',
        `  USING ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), ''))`,
        `  WITH CHECK ("tenant_id" = NULLIF(current_setting('app.tenant_id', true), ''));`,
        '',
      ].join('\n'),
    );
  });

  it('keeps migration placeholders for the schema and the system role', () => {
    const sql = tenantIsolationSql({ schema: '{{schema}}', table: 'leases', systemRole: '{{system_role}}' });

    expect(sql).toContain('CREATE POLICY "leases_system_access" ON {{schema}}."leases"\n  TO {{system_role}}\n');
  });

  it('casts the setting for a uuid tenant column', () => {
    expect(tenantIsolationSql({ schema: 'orch', table: 't', tenantColumnType: 'uuid' })).toContain(`NULLIF(current_setting('app.tenant_id', true), '')::uuid`);
  });

  it('refuses a table name that is not a plain identifier', () => {
    expect(() => tenantIsolationSql({ schema: 'orch', table: 'a; DROP TABLE b' })).toThrow(/must match/);
  });

  it('drops both policies and turns row-level security off in the down step', () => {
    expect(tenantIsolationDownSql({ schema: 'orch', table: 'messages' })).toBe(
      [
        'DROP POLICY IF EXISTS "messages_system_access" ON "orch"."messages";',
        'DROP POLICY IF EXISTS "messages_tenant_isolation" ON "orch"."messages";',
        'ALTER TABLE "orch"."messages" NO FORCE ROW LEVEL SECURITY;',
        'ALTER TABLE "orch"."messages" DISABLE ROW LEVEL SECURITY;',
        '',
      ].join('\n'),
    );
  });
});

describe('the RLS pattern in the README', () => {
  it('is what tenantIsolationSql produces for a migration file', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');

    expect(readme).toContain(`\`\`\`sql\n${tenantIsolationSql({ schema: '{{schema}}', table: 'messages', systemRole: '{{system_role}}' })}\`\`\``);
  });
});
