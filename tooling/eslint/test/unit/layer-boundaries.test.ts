import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerBoundaryConfigs } from '../../layer-boundaries.mjs';

const fixtureRoot = fileURLToPath(new URL('../fixtures/layer-violation/', import.meta.url));
const RULE = '@typescript-eslint/no-restricted-imports';

type Findings = Map<string, ESLint.LintResult>;

async function lintFixture(): Promise<Findings> {
  const eslint = new ESLint({
    cwd: fixtureRoot,
    overrideConfigFile: true,
    ignore: false,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: (await import('typescript-eslint')).parser },
        plugins: { '@typescript-eslint': (await import('typescript-eslint')).plugin },
      },
      ...layerBoundaryConfigs,
    ],
  });
  const results = await eslint.lintFiles(['src/**/*.ts']);
  return new Map(results.map((r) => [path.relative(fixtureRoot, r.filePath), r]));
}

const offendingLines = (result: ESLint.LintResult | undefined): number[] =>
  (result?.messages ?? []).filter((m) => m.ruleId === RULE).map((m) => m.line);

describe('layer-boundary rule', () => {
  let findings: Findings;
  beforeAll(async () => {
    findings = await lintFixture();
  });

  it('reports every I/O library, application and adapters import in a domain file', () => {
    // lines 2-7 import pg, ioredis, nats, fastify, application/ and adapters/; line 8 (the kernel) is allowed
    expect(offendingLines(findings.get('src/domain/message.entity.ts'))).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it('reports an application file importing adapters, an I/O library or an adapter package value', () => {
    // line 4 is a type-only import of a port, which application code may use
    expect(offendingLines(findings.get('src/application/submit-message.use-case.ts'))).toEqual([2, 3, 5]);
  });

  it('lets adapters import I/O libraries and application code', () => {
    expect(offendingLines(findings.get('src/adapters/postgres-message.repository.ts'))).toEqual([]);
  });

  it('names the broken boundary in its message', () => {
    const messages = findings.get('src/domain/message.entity.ts')?.messages.map((m) => m.message) ?? [];
    expect(messages.some((m) => m.includes('domain/ may not import adapters/'))).toBe(true);
    expect(messages.some((m) => m.includes('domain/ may not import an I/O or framework library'))).toBe(true);
  });
});

describe('import cycle rule', () => {
  it('reports two modules that import each other', async () => {
    const tseslint = await import('typescript-eslint');
    // import-x 4.6 types its legacy configs in a shape ESLint 9's Plugin type does not accept.
    const importX = (await import('eslint-plugin-import-x')).default as unknown as ESLint.Plugin;
    const cycleRoot = fileURLToPath(new URL('../fixtures/import-cycle/', import.meta.url));
    const eslint = new ESLint({
      cwd: cycleRoot,
      overrideConfigFile: true,
      ignore: false,
      overrideConfig: [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tseslint.parser },
          plugins: { 'import-x': importX },
          settings: {
            'import-x/resolver': { typescript: true },
            'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
            'import-x/extensions': ['.ts', '.js'],
          },
          rules: { 'import-x/no-cycle': 'error' },
        },
      ],
    });
    const results = await eslint.lintFiles(['*.ts']);
    const cycles = results.flatMap((r) => r.messages).filter((m) => m.ruleId === 'import-x/no-cycle');
    expect(cycles).toHaveLength(2);
  });
});
