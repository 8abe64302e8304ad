// One lint configuration for the whole repository (ESLint flat config with typescript-eslint's
// type-aware rules). The type information comes from the root tsconfig.json, which includes every
// package's sources and tests, so one TypeScript program serves the whole run.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/__generated__/**', '**/migrations/**', 'data/**', '**/fixtures/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A query builder or a promise that is not awaited runs (or fails) after the caller moved on.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // `any` needs a reason: write the reason in an eslint-disable comment.
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allowNumber: true,
          allow: [
            { name: ['URL', 'URLSearchParams'], from: 'lib' },
            { name: ['URL', 'URLSearchParams'], from: 'package', package: 'undici-types' },
            { name: ['URL', 'URLSearchParams'], from: 'package', package: '@types/node' },
          ],
        },
      ],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    // The storefront is a browser app with TypeScript settings of its own (DOM, JSX, Vite): its files
    // get their types from its tsconfigs, so the DOM never reaches the Node packages' program.
    files: ['examples/storefront/**'],
    languageOptions: {
      parserOptions: {
        project: ['./examples/storefront/tsconfig.json', './examples/storefront/tsconfig.node.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    // Hive Gateway's types bring the DOM library, which would retype fetch for every Node package in
    // the root program (`Response.json()` turning `any`): its configuration gets a program of its own.
    files: ['examples/hive-gateway/**'],
    languageOptions: {
      parserOptions: { project: ['./examples/hive-gateway/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // Tests read untyped JSON bodies (fetch's `.json()` is `any`) and assert on them, so the any-flow
    // rules would only demand casts there; every other rule, floating promises included, still applies.
    files: ['**/test/**', '**/*.test.ts', 'e2e/**', 'vitest.*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      'no-console': 'off',
    },
  },
  {
    // A CLI's console output is its interface.
    files: ['**/*-cli.ts', '**/cli.ts', '**/*.config.ts', 'codegen.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
