// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';
import chassis from './eslint/feature-boundaries.mjs';

/** Registering global enhancers is the chassis's job (CoreModule), in a fixed order. */
const GLOBAL_PROVIDER = /^APP_(GUARD|INTERCEPTOR|FILTER|PIPE)$/;
/** App-level Nest and Fastify APIs: they change every route, so only the builder (src/core/bootstrap) calls them. */
const APP_LEVEL_CALLS =
  /^(useGlobal(Guards|Interceptors|Filters|Pipes)|useLogger|enableCors|setGlobalPrefix|enableVersioning|enableShutdownHooks|useStaticAssets|getHttpAdapter|getHttpServer|addHook|addContentTypeParser|setErrorHandler|setNotFoundHandler|decorateRequest|decorateReply|listen)$/;

/**
 * Lint rules. The part that matters most for the chassis is the feature
 * boundary (chassis.json, AGENTS.md): a feature imports core only through its
 * public API (`src/core/index.ts`) and other features only through their
 * index.ts, never reads `process.env`, never registers global providers,
 * middleware or infrastructure modules, never calls app-level Nest or
 * Fastify APIs, never runs raw SQL through TypeORM (it escapes the tenant
 * scope, chassis/raw-sql). test/unit/boundaries.spec.ts proves each rule on a violation.
 */
export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', '**/*.js', '**/*.mjs', 'client/schema.d.ts'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Generated resources keep unused parameters in their stubs; unused locals are still errors.
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none', caughtErrors: 'none' }],
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    // The feature surface.
    files: ['src/features/**/*.ts'],
    plugins: { chassis },
    rules: {
      'chassis/feature-imports': 'error',
      'chassis/raw-sql': 'error',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@nestjs/core',
              importNames: ['APP_GUARD', 'APP_INTERCEPTOR', 'APP_FILTER', 'APP_PIPE'],
              message:
                'Features register no global guards, interceptors, filters or pipes: the chassis owns the pipeline (use route decorators).',
            },
            {
              name: '@nestjs/core',
              importNames: ['NestFactory', 'HttpAdapterHost', 'AbstractHttpAdapter', 'RouterModule'],
              message: 'Features do not build or reach into the application: createApp (src/core) does.',
            },
            { name: '@nestjs/platform-fastify', message: 'Features do not touch the HTTP adapter: the chassis configures Fastify.' },
            {
              name: 'fastify',
              allowTypeImports: true,
              message: 'Features use Fastify types only (FastifyRequest…); hooks and plugins belong to the chassis.',
            },
            { name: 'fastify-plugin', message: 'Features register no Fastify plugins.' },
            { name: '@nestjs/config', message: 'Configuration is read-only and typed: inject it with @InjectConfig() from src/core.' },
            { name: 'dotenv', message: 'Configuration is loaded once by the chassis: inject it with @InjectConfig().' },
            {
              name: 'ioredis',
              allowTypeImports: true,
              message: 'One Redis client per app: use AppCache (src/core), never a client of your own.',
            },
            {
              name: 'prom-client',
              allowTypeImports: true,
              message: "Metrics go on the app's registry: counterProvider()/InjectMetric from src/core.",
            },
            {
              name: '@nestjs/common',
              importNames: ['MiddlewareConsumer', 'NestMiddleware'],
              message: 'Features add no middleware: the request pipeline is the chassis (docs/request-pipeline.md).',
            },
          ],
          patterns: [{ group: ['@fastify/*'], allowTypeImports: true, message: 'Fastify plugins are configured by the chassis only.' }],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "MemberExpression[object.name='process'][property.name='env'], MemberExpression[object.name='process'][property.value='env']",
          message:
            'Features never read process.env: declare the setting with defineFeatureSettings() and inject it with @InjectFeatureSettings() (docs/configuration.md#feature-settings).',
        },
        {
          selector: "MemberExpression[object.property.name='process'][property.name='env'], VariableDeclarator[init.name='process']",
          message:
            'Features never read process.env: declare the setting with defineFeatureSettings() and inject it with @InjectFeatureSettings() (docs/configuration.md#feature-settings).',
        },
        {
          selector: `Property[key.name='provide'] > Literal[value=${GLOBAL_PROVIDER}]`,
          message: 'Features register no global guards, interceptors, filters or pipes: the chassis owns the pipeline.',
        },
        {
          selector: `CallExpression[callee.property.name=${APP_LEVEL_CALLS}]`,
          message: 'App-level Nest/Fastify APIs are the builder’s (src/core/bootstrap): a feature changes only its own routes.',
        },
        {
          selector: 'CallExpression[callee.property.name=/^forRoot(Async)?$/]',
          message: 'Infrastructure modules are configured once by CoreModule; a feature uses forFeature() or the core public API.',
        },
        {
          selector: "Decorator[expression.callee.name='Global']",
          message: 'Feature modules are not global: export what another feature may use.',
        },
        {
          selector: "MethodDefinition[key.name='configure']",
          message: 'Features add no middleware (NestModule.configure): the request pipeline is the chassis (docs/request-pipeline.md).',
        },
      ],
    },
  },
);
