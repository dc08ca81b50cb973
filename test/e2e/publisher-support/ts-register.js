// Lets a child `node` process run the TypeScript sources as Jest does (SWC, same decorator settings), so
// e2e tests can start real worker processes without a prior `npm run build`. Test support only.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '../../..');
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveSeedfleet(request, ...rest) {
  const match = /^@seedfleet\/([a-z-]+)$/.exec(request);
  return originalResolve.call(this, match ? path.join(root, 'libs', match[1], 'src', 'index.ts') : request, ...rest);
};

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
