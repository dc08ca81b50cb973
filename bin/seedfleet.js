#!/usr/bin/env -S node --max-semi-space-size=1 --optimize-for-size
'use strict';
// Node flags (above; bench/wire runs our engine with the same ones, read from this line):
// --max-semi-space-size=1: a 1 MiB young generation keeps a downloading or seeding process near 85 MiB RSS
//   instead of ~110 MiB, at no measured cost in throughput (bench:wire).
// --optimize-for-size: V8 lets the old generation grow ~1.3x past what the last full GC kept instead of
//   ~2x: a 1 GiB download peaks with ~18 MiB of heap instead of ~27 MiB.
// The CLI is compiled TypeScript; give a clear hint instead of a module-not-found trace when it is not built.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write(`seedfleet: error: ${entry} is missing; run \`npm run build\` first\n`);
  process.exit(1);
}
require(entry);
