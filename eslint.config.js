import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.var/**',
      '.nx/**',
      'deploy/local/kafka/target/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Three kinds of library: domain code is pure, adapters implement its ports, the
      // runtime carries config, logging, metrics and lifecycle. Services wire them.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:errors'] },
            {
              sourceTag: 'type:adapter',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:runtime',
                'type:adapter',
                'type:errors',
              ],
            },
            {
              sourceTag: 'type:runtime',
              onlyDependOnLibsWithTags: ['type:runtime', 'type:errors'],
            },
            { sourceTag: 'type:errors', onlyDependOnLibsWithTags: [] },
            {
              sourceTag: 'type:service',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:adapter',
                'type:runtime',
                'type:errors',
                'type:service',
              ],
            },
            { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
    },
  },
  {
    // Plain Node.js scripts run outside the TypeScript build.
    files: ['**/*.mjs', 'services/*/bin/*.js'],
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', URL: 'readonly' },
    },
  },
  {
    // Tests may use the shared test helpers and any library, whatever the kind of the code
    // they test.
    files: ['**/*.test.ts', 'test/**/*.ts', '**/bench/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { allow: [], depConstraints: [{ sourceTag: '*', onlyDependOnLibsWithTags: ['*'] }] },
      ],
    },
  },
  {
    // Domain libraries never read the environment or the clock; time and settings come in
    // through their options.
    files: ['libs/{events,permission-map,normalize,simulator}/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Domain code takes options; only services read the environment.',
        },
        { object: 'Date', property: 'now', message: 'Domain code takes the time as an input.' },
      ],
    },
  },
);
