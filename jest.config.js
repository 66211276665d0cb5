// One jest run for the whole repository, split in projects so that each kind of
// test gets only the set-up it needs:
//  - unit:     plain functions, no processes (`*.test.ts` beside a package)
//  - db-proxy: the write-serializing proxy against its own FerretDB
//  - migrations: the migration chain's commands against their own local database
//  - platform: everything a user sees, over HTTP against one platform instance
//              started once per run (test/platform/global-setup.ts)
//  - chart:    charts/testmancer rendered by helm (.tools/helm), its objects
//              validated offline, its alerts unit-tested with promtool, the
//              deploy commands run against helm's fake Kubernetes client
//  - containers: the images `make image` builds, run by podman as the chart's
//              pod specs say (its migration Job first) against a local database
const swc = ['@swc/jest', { jsc: { target: 'es2022' } }];
// k6/ is ES modules in plain JavaScript (k6 runs it as it is); under jest it is compiled like the TypeScript.
const transform = { '^.+\\.ts$': swc, '^.+/k6/(lib|engine|scenarios)/.+\\.js$': swc };
const common = { transform, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  // Read only at the top level in jest 30: platform and fault tests start processes.
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/{packages,services}/*/test/**/*.test.ts',
        '<rootDir>/proto/test/**/*.test.ts',
        '<rootDir>/migrations/test/**/*.test.ts',
        '<rootDir>/k6/test/**/*.test.ts',
        '<rootDir>/web/server/test/**/*.test.ts',
        '<rootDir>/test/docs/**/*.test.ts',
      ],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$', '/node_modules/'],
      // k6's modules, for running the k6 script under jest (k6/test/k6-shim.ts).
      moduleNameMapper: { '^k6$': '<rootDir>/k6/test/k6-core.ts', '^k6/(http|crypto|encoding|execution)$': '<rootDir>/k6/test/k6-$1.ts' },
    },
    {
      ...common,
      displayName: 'db-proxy',
      testMatch: ['<rootDir>/packages/db-proxy/test/**/*.int.test.ts'],
    },
    {
      ...common,
      displayName: 'chart',
      testMatch: ['<rootDir>/charts/test/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'containers',
      testMatch: ['<rootDir>/test/containers/**/*.int.test.ts'],
    },
    {
      ...common,
      displayName: 'migrations',
      testMatch: ['<rootDir>/migrations/test/**/*.int.test.ts'],
    },
    {
      ...common,
      displayName: 'platform',
      // Store ports' contracts against their MongoDB adapters run here too: the platform's database is theirs to use.
      testMatch: ['<rootDir>/test/platform/**/*.int.test.ts', '<rootDir>/services/*/test/**/*.int.test.ts'],
      globalSetup: '<rootDir>/test/platform/global-setup.ts',
      globalTeardown: '<rootDir>/test/platform/global-teardown.ts',
    },
  ],
};
