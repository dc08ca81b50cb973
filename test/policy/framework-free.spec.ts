import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The lint rule in eslint.config.mjs is what keeps the pure libraries framework-free; prove it bites.
const eslintBin = join(__dirname, '../../node_modules/eslint/bin/eslint.js');

function lint(filePath: string, source: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [eslintBin, '--stdin', '--stdin-filename', filePath], {
    cwd: join(__dirname, '../..'),
    input: source,
    encoding: 'utf8',
  });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe('framework-free pure libraries', () => {
  const forbidden = ["import { Injectable } from '@nestjs/common';", "import { Queue } from 'bullmq';", "import { Redis } from 'ioredis';", "import { S3Client } from '@aws-sdk/client-s3';"];

  it.each(['bencode', 'metainfo', 'hashing', 'wire', 'engine', 'rollout'])('rejects framework imports in libs/%s', (lib) => {
    const names = forbidden.map((line) => line.match(/\{ (\w+) \}/)![1]);
    const result = lint(`libs/${lib}/src/probe.ts`, `${forbidden.join('\n')}\nexport const used = [${names.join(', ')}];\n`);
    expect(result.status).toBe(1);
    expect(result.output.match(/no-restricted-imports/g)).toHaveLength(forbidden.length);
  });

  it('allows them at the edges', () => {
    const result = lint('apps/publisher/src/probe.ts', "import { Injectable } from '@nestjs/common';\nexport const used = [Injectable];\n");
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});
