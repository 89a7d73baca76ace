/**
 * Jest: unit specs beside the code (`src/**\/*.spec.ts`), e2e suites that boot
 * the real app (`test/**\/*.e2e-spec.ts`), integration suites against
 * PostgreSQL/Redis (`test/integration`), and suites that run the built
 * process (`test/process`). The @nestjs/swagger plugin runs as
 * an AST transformer so DTO schemas match the build.
 */
const swaggerPlugin = { path: '<rootDir>/test/support/swagger-transformer.js' };
// Jest on Node 20 cannot require() ES modules; these dependencies ship only
// ESM (content-disposition 3, pulled in by @fastify/static 10 for Swagger UI),
// so they are compiled to CommonJS for the tests. Node itself loads them as-is.
const ESM_ONLY = ['content-disposition'];
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', astTransformers: { before: [swaggerPlugin] } }],
  [`node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: [
    'ts-jest',
    { tsconfig: { allowJs: true, module: 'commonjs' }, isolatedModules: true },
  ],
};
const common = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns: [`node_modules/(?!(${ESM_ONLY.join('|')})/)`],
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
      // Real PostgreSQL/Redis and several app boots per suite: 5 s is too tight on a loaded 2-core machine.
      testTimeout: 30_000,
      globalSetup: '<rootDir>/test/support/build-app.ts',
    },
    // The real process (built, spawned): graceful shutdown under load.
    {
      ...common,
      displayName: 'process',
      testMatch: ['<rootDir>/test/process/**/*.process-spec.ts'],
      globalSetup: '<rootDir>/test/support/build-app.ts',
    },
    // Generates a resource in a throw-away copy and builds it: `npm run test:generator` (and .ci/run).
    { ...common, displayName: 'generator', testMatch: ['<rootDir>/test/generator/**/*.gen-spec.ts'] },
  ],
  collectCoverageFrom: [
    'src/**/*.ts',
    '!src/main.ts',
    '!src/**/*.spec.ts',
    '!src/core/database/data-source.ts',
    '!src/core/database/migrate.cli.ts',
  ],
  coverageThreshold: { './src/core/': { lines: 90 } },
  coverageReporters: ['text-summary', 'lcov'],
};
