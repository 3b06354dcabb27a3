import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { outboxTablesDownSql, outboxTablesSql } from '@sms/outbox';

const readme = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md');

describe('outboxTablesSql', () => {
  it('is shown in the README exactly as a migration file should contain it', async () => {
    const text = await readFile(readme, 'utf8');

    expect(text).toContain(`\`\`\`sql\n${outboxTablesSql('{{schema}}')}\`\`\``);
    expect(text).toContain(`\`\`\`sql\n${outboxTablesDownSql('{{schema}}')}\`\`\``);
  });

  it('quotes a real schema name', () => {
    expect(outboxTablesSql('orch')).toContain('CREATE TABLE "orch".outbox (');
  });

  it('refuses a schema name that is not a plain identifier', () => {
    expect(() => outboxTablesSql('orch; DROP TABLE x')).toThrow(/must match/);
  });
});
