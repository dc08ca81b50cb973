import tseslint from 'typescript-eslint';

// The pure libraries hold protocol and policy logic; they must run anywhere and be testable without a
// framework, so framework and infrastructure clients are imported only by apps/ and the adapter libraries.
const frameworkImports = {
  patterns: [
    { group: ['@nestjs/*', '@nestjs'], message: 'Pure libraries must not import NestJS; wire it up in apps/.' },
    { group: ['bullmq', 'bullmq/*'], message: 'Pure libraries must not import BullMQ; queues live in apps/.' },
    { group: ['ioredis', 'ioredis/*'], message: 'Pure libraries must not import ioredis; use a port with an adapter.' },
    { group: ['@aws-sdk/*'], message: 'Pure libraries must not import the AWS SDK; use libs/storage.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**', '.tmp/**', 'bench/.data/**', 'bench/.cache/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['libs/{bencode,metainfo,hashing,wire,engine,rollout,tracker}/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', frameworkImports] },
  },
);
