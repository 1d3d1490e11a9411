// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// typescript-eslint's recommended rules over the TypeScript of the server, the
// web, the tests and the benchmarks, and the boundary between modules
// (STYLE.md, "Between modules"): a table belongs to one module, so no module
// imports another module's repository.ts (or a *-repository.ts beside it); it calls that module's service.ts
// (or org/directory.ts). No exceptions. Formatting is Prettier's.
export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore names what is left out on purpose (a field dropped from a spread, an unused callback argument).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // A variable a shutdown handler reads before it is set stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./[a-z-]+/([a-z-]+-)?repository\\.js$',
              message: "A module never reads another module's repository: call its service.ts (STYLE.md, Between modules).",
            },
            {
              regex: '/modules/[a-z-]+/([a-z-]+-)?repository\\.js$',
              message: "Only a module's own files import its repository.ts: call its service.ts (STYLE.md, Between modules).",
            },
          ],
        },
      ],
    },
  },
  {
    // Migrations take Kysely<any> (their schema is the one they make, Kysely's documented form); tests read JSON answers loosely.
    files: ['src/server/db/migrations/**/*.ts', 'test/**/*.ts', 'e2e/**/*.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
