/**
 * Jest: unit specs beside the code (`src/**\/*.spec.ts`), e2e suites that boot
 * the real app (`test/**\/*.e2e-spec.ts`), integration suites against
 * PostgreSQL/Redis (`test/integration`), and suites that run the built
 * process (`test/process`). The @nestjs/swagger plugin runs as
 * an AST transformer so DTO schemas match the build.
 */
const swaggerPlugin = { path: '<rootDir>/test/support/swagger-transformer.js' };
// Run with `node --experimental-vm-modules` (the npm scripts do): Jest 30 on Node 24 then
// require()s the ES-module-only packages (NestJS 12) the way Node does. The tests stay CommonJS
// like the build; ts-jest's TS151002 warns about NodeNext's per-file module kinds, and every
// file here is CommonJS (package.json has no "type"), so it is silenced.
const transform = {
  '^.+\\.ts$': [
    'ts-jest',
    { tsconfig: 'tsconfig.json', astTransformers: { before: [swaggerPlugin] }, diagnostics: { ignoreCodes: [151002] } },
  ],
};
const common = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testEnvironment: 'node',
  transform,
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
    // PostgreSQL/Redis suites; some spawn the built app, hence the build first.
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
      // Real PostgreSQL/Redis and several app boots per suite: 30 s per test (a project's own testTimeout is ignored by Jest).
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-timeout.ts'],
      globalSetup: '<rootDir>/test/support/nest-build.ts',
    },
    // The real process (built, spawned): graceful shutdown under load.
    {
      ...common,
      displayName: 'process',
      testMatch: ['<rootDir>/test/process/**/*.process-spec.ts'],
      globalSetup: '<rootDir>/test/support/nest-build.ts',
    },
    // The hostile-input property (fast-check) over every route: `npm run test:fuzz` (and .ci/run), bounded in runs and time.
    { ...common, displayName: 'fuzz', testMatch: ['<rootDir>/test/**/*.fuzz-spec.ts'] },
    // A real browser (Debian's chromium, driven by playwright-core) on the pages the README links to: `npm run test:browser` (and .ci/run).
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] },
    // Generates a resource in a throw-away copy and builds it: `npm run test:generator` (and .ci/run).
    { ...common, displayName: 'generator', testMatch: ['<rootDir>/test/generator/**/*.gen-spec.ts'] },
  ],
  collectCoverageFrom: ['src/**/*.ts', '!src/main.ts', '!src/**/*.spec.ts', '!src/data-source.ts', '!src/migrate.ts'],
  coverageThreshold: { './src/core/': { lines: 90 } },
  coverageReporters: ['text-summary', 'lcov'],
};
