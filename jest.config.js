// Jest runs TypeScript through SWC. NestJS 12, bencode and bittorrent-dht ship ESM only, which Jest's
// CommonJS runtime cannot load, so they are transformed too (see DESIGN.md, "Toolchain facts").
const esmOnly = ['@nestjs', 'bencode', 'bittorrent-dht', 'uint8-util', 'bittorrent-lsd', 'k-bucket', 'k-rpc', 'k-rpc-socket', 'run-parallel', 'queue-microtask', 'debug', 'ms', 'record-cache', 'chrome-dgram', 'bencode'];

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

// Packages whose "exports" offer only an "import" condition, which Jest's resolver does not use.
const moduleNameMapper = {
  '^@seedfleet/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
  '^bencode$': '<rootDir>/node_modules/bencode/index.js',
  '^bittorrent-dht$': '<rootDir>/node_modules/bittorrent-dht/index.js',
  '^uint8-util$': '<rootDir>/node_modules/uint8-util/dist/src/node.js',
};

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/e2e/**/*.spec.ts', '<rootDir>/test/policy/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'interop',
      testMatch: ['<rootDir>/test/interop/**/*.spec.ts'],
    },
  ],
};
