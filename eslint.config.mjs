// ESLint flat config: type-aware typescript-eslint rules, zero warnings, and the layer boundaries
// of ARCHITECTURE.md (domain is pure; application does not reach into adapters).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { layerBoundaryConfigs } from './tooling/eslint/layer-boundaries.mjs';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/coverage/**', '**/dist/**', '**/.data/**', '**/fixtures/**', '**/*.d.ts.map'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.mjs', 'tooling/eslint/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      // Resolves `./x.js` to `./x.ts` and workspace packages, so import-x/no-cycle sees real edges.
      // Without the parser and extension settings no-cycle parses nothing and silently finds no cycle.
      'import-x/resolver': { typescript: { project: './tsconfig.json' } },
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
    },
  },
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  ...layerBoundaryConfigs,
);
