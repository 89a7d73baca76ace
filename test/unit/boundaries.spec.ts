import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
// An existing feature file, so the typed lint rules resolve it; its text is replaced.
const featureFile = join(root, 'src', 'features', 'items', 'items.service.ts');
const BOUNDARY_RULES = ['chassis/feature-imports', 'chassis/raw-sql', '@typescript-eslint/no-restricted-imports', 'no-restricted-syntax'];

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/**
 * Lints each fixture as if it were a feature file (src/features/items), with
 * the project's real ESLint config, in one child process (Jest cannot load
 * the ESM config file; one process loads the TypeScript project once).
 * Returns each fixture's boundary-rule messages.
 */
function lintFixtures(fixtures: { code: string; file: string }[]): LintMessage[][] {
  const script = `
    import { ESLint } from 'eslint';
    const fixtures = JSON.parse(process.argv[1]);
    const eslint = new ESLint({ cwd: process.cwd() });
    const out = [];
    for (const f of fixtures) {
      const [result] = await eslint.lintText(f.code, { filePath: f.file });
      out.push(result.messages.map((m) => ({ ruleId: m.ruleId, message: m.message })));
    }
    process.stdout.write(JSON.stringify(out));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(fixtures)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`eslint failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as LintMessage[][]).map((messages) =>
    messages.filter((m) => m.ruleId !== null && BOUNDARY_RULES.includes(m.ruleId)),
  );
}

/** The deliberate violations: each one a fixture a feature must never contain. */
const VIOLATIONS: [string, string, RegExp][] = [
  ['core internals', "import { loadConfig } from '../../core/config/load-config';\nexport const x = loadConfig;\n", /public API/],
  [
    'core internals through baseUrl',
    "import { loadConfig } from 'src/core/config/load-config';\nexport const x = loadConfig;\n",
    /public API/,
  ],
  [
    "another feature's internals",
    "import { OrdersService } from '../orders/orders.service';\nexport const x = OrdersService;\n",
    /another feature's internals \(orders\)/,
  ],
  [
    "another feature's entity",
    "import { Order } from '../orders/entities/order.entity';\nexport const x = Order;\n",
    /another feature's internals/,
  ],
  ['the app module', "import { AppModule } from '../../app.module';\nexport const x = AppModule;\n", /imports only its own files/],
  [
    'test support',
    "import { bootTestApp } from '../../../test/support/test-app';\nexport const x = bootTestApp;\n",
    /imports only its own files/,
  ],
  ['process.env', 'export const url = process.env.PAYMENT_URL;\n', /never read process\.env/],
  ["process['env']", "export const url = process['env'].PAYMENT_URL;\n", /never read process\.env/],
  ['destructured process.env', 'const { env } = process;\nexport const url = env.PAYMENT_URL;\n', /never read process\.env/],
  ['globalThis.process.env', 'export const url = globalThis.process.env.PAYMENT_URL;\n', /never read process\.env/],
  [
    'APP_GUARD import',
    "import { APP_GUARD } from '@nestjs/core';\nexport const providers = [{ provide: APP_GUARD, useValue: {} }];\n",
    /no global guards/,
  ],
  ["an 'APP_INTERCEPTOR' string token", "export const providers = [{ provide: 'APP_INTERCEPTOR', useValue: {} }];\n", /no global guards/],
  ['APP_FILTER import', "import { APP_FILTER } from '@nestjs/core';\nexport const x = APP_FILTER;\n", /no global guards/],
  ['APP_PIPE import', "import { APP_PIPE } from '@nestjs/core';\nexport const x = APP_PIPE;\n", /no global guards/],
  ['NestFactory', "import { NestFactory } from '@nestjs/core';\nexport const x = NestFactory;\n", /do not build/],
  [
    'a Fastify hook',
    "export function hook(app: { addHook(n: string, f: () => void): void }) {\n  app.addHook('onRequest', () => undefined);\n}\n",
    /App-level/,
  ],
  ['a global pipe', 'export function pipe(app: { useGlobalPipes(p: object): void }) {\n  app.useGlobalPipes({});\n}\n', /App-level/],
  ['the HTTP adapter', 'export function adapter(app: { getHttpAdapter(): object }) {\n  return app.getHttpAdapter();\n}\n', /App-level/],
  ['a Fastify value import', "import fastify from 'fastify';\nexport const x = fastify;\n", /Fastify types only/],
  ['a Fastify plugin', "import helmet from '@fastify/helmet';\nexport const x = helmet;\n", /configured by the chassis/],
  [
    '@nestjs/platform-fastify',
    "import { FastifyAdapter } from '@nestjs/platform-fastify';\nexport const x = FastifyAdapter;\n",
    /HTTP adapter/,
  ],
  ['@nestjs/config', "import { ConfigService } from '@nestjs/config';\nexport const x = ConfigService;\n", /InjectConfig/],
  ['a Redis client of its own', "import Redis from 'ioredis';\nexport const x = new Redis();\n", /One Redis client/],
  [
    'forRoot',
    "import { TypeOrmModule } from '@nestjs/typeorm';\nexport const x = TypeOrmModule.forRoot({});\n",
    /configured once by CoreModule/,
  ],
  ['@Global()', "import { Global, Module } from '@nestjs/common';\n@Global()\n@Module({})\nexport class M {}\n", /not global/],
  [
    'middleware',
    "import { Module, type NestModule } from '@nestjs/common';\n@Module({})\nexport class M implements NestModule {\n  configure() {\n    return undefined;\n  }\n}\n",
    /no middleware/,
  ],
  [
    'raw SQL on the data source',
    "import { DataSource } from 'typeorm';\nexport class S {\n  constructor(private readonly db: DataSource) {}\n  count() {\n    return this.db.query('SELECT count(*) FROM items');\n  }\n}\n",
    /Raw SQL escapes the tenant scope/,
  ],
  [
    'raw SQL on a repository',
    "import type { Repository } from 'typeorm';\nimport type { Item } from './entities/item.entity';\nexport const count = (items: Repository<Item>) => items.query('SELECT count(*) FROM items');\n",
    /Raw SQL escapes the tenant scope/,
  ],
  [
    'raw SQL on an entity manager, however it is named',
    "import type { EntityManager } from 'typeorm';\nexport const count = (tx: EntityManager) => tx.query('DELETE FROM items');\n",
    /Raw SQL escapes the tenant scope/,
  ],
  [
    'raw SQL through a query runner',
    "import type { DataSource } from 'typeorm';\nexport const count = (db: DataSource) => db.createQueryRunner().query('SELECT 1');\n",
    /Raw SQL escapes the tenant scope/,
  ],
  [
    'the sql tag',
    "import type { DataSource } from 'typeorm';\nexport const count = (db: DataSource, sku: string) => db.sql`SELECT * FROM items WHERE sku = ${sku}`;\n",
    /Raw SQL escapes the tenant scope/,
  ],
  [
    'a data source of its own',
    "import { DataSource } from 'typeorm';\nexport const db = new DataSource({ type: 'better-sqlite3', database: ':memory:' });\n",
    /not tenant-scoped/,
  ],
];

const ALLOWED = [
  "import { NotFoundError } from '../../core';\nexport const x = NotFoundError;\n",
  "import { NotFoundError } from '../../core/index';\nexport const x = NotFoundError;\n",
  "import { Item } from './entities/item.entity';\nexport const x = Item;\n",
  "import type { FastifyRequest } from 'fastify';\nexport type R = FastifyRequest;\n",
  "import { Reflector } from '@nestjs/core';\nexport const x = Reflector;\n",
  "import { TypeOrmModule } from '@nestjs/typeorm';\nimport { Item } from './entities/item.entity';\nexport const x = TypeOrmModule.forFeature([Item]);\n",
  "import { OrdersModule } from '../orders';\nexport const x = OrdersModule;\n",
  "import { OrdersModule } from '../orders/index';\nexport const x = OrdersModule;\n",
  "import type { Repository } from 'typeorm';\nimport type { Item } from './entities/item.entity';\nexport const n = (items: Repository<Item>) => items.createQueryBuilder('item').where('item.sku = :sku', { sku: 'a' }).getCount();\n",
  "export const search = (index: { query(text: string): string[] }) => index.query('kettle');\n",
];
const FEATURES_MODULE = join(root, 'src', 'features', 'features.module.ts');

describe('the feature boundary (ESLint, the real config)', () => {
  let violations: LintMessage[][];
  let allowed: LintMessage[][];
  let featuresModule: LintMessage[];
  beforeAll(() => {
    const results = lintFixtures([
      ...VIOLATIONS.map(([, code]) => ({ code, file: featureFile })),
      ...ALLOWED.map((code) => ({ code, file: featureFile })),
      { code: "import { ItemsModule } from './items/items.module';\nexport const x = ItemsModule;\n", file: FEATURES_MODULE },
    ]);
    violations = results.slice(0, VIOLATIONS.length);
    allowed = results.slice(VIOLATIONS.length, VIOLATIONS.length + ALLOWED.length);
    featuresModule = results[results.length - 1];
  }, 120_000);

  it.each(VIOLATIONS.map(([name, , message], i) => [name, i, message] as const))('refuses %s', (_name, i, message) => {
    expect(violations[i].length).toBeGreaterThanOrEqual(1);
    expect(violations[i].map((e) => e.message).join('\n')).toMatch(message);
  });

  it('accepts the core public API, own files, Fastify types, forFeature and another feature’s index.ts', () => {
    expect(allowed).toEqual(ALLOWED.map(() => []));
  });

  it('lets FeaturesModule import each feature module (it lists them)', () => {
    expect(featuresModule).toEqual([]);
  });

  it('holds for the repository as it is: src/features lints clean', () => {
    const result = spawnSync(join(root, 'node_modules', '.bin', 'eslint'), ['src/features', '--max-warnings', '0'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 120_000);
});
