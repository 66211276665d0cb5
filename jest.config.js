// One jest run for the whole repository, split in projects so that each kind of
// test gets only the set-up it needs:
//  - unit:     plain functions, no processes (`*.test.ts` beside a package)
//  - db-proxy: the write-serializing proxy against its own FerretDB
//  - platform: everything a user sees, over HTTP against one platform instance
//              started once per run (test/platform/global-setup.ts)
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
const common = { transform, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  // Read only at the top level in jest 30: platform and fault tests start processes.
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{packages,services}/*/test/**/*.test.ts', '<rootDir>/proto/test/**/*.test.ts', '<rootDir>/migrations/test/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$', '/node_modules/'],
    },
    {
      ...common,
      displayName: 'db-proxy',
      testMatch: ['<rootDir>/packages/db-proxy/test/**/*.int.test.ts'],
    },
    {
      ...common,
      displayName: 'platform',
      testMatch: ['<rootDir>/test/platform/**/*.int.test.ts'],
      globalSetup: '<rootDir>/test/platform/global-setup.ts',
      globalTeardown: '<rootDir>/test/platform/global-teardown.ts',
    },
  ],
};
