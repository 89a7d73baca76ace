import { execFileSync, execSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Proves the feature surface and the chassis's generator: in a throw-away
 * copy of the repository (a git repository of its own, so chassis:check has
 * a base), `nest g resource <name>` — the chassis's schematic — yields a
 * feature under src/features/<name> that is registered automatically, and
 * the project, unchanged otherwise, still passes lint (boundaries included),
 * the format check, the type check, chassis:check against the base commit,
 * the whole suite (the generated e2e spec and the conformance suite, which
 * now covers the new routes) and serves the routes through the real builder.
 * A second feature is generated with tenancy on (`TENANT_CLAIM` set where the
 * generator runs): tenant-scoped, with its migration's row-level security and
 * an e2e spec proving cross-tenant isolation, and covered by the
 * conformance suite's cross-tenant check.
 *
 * The feature's name is new on every run (`gen-<letters>-orders`) and the
 * lists it joins are compared with the same lists before generation, so the
 * test holds in a service that has its own features (an `orders` one included).
 */
const root = join(__dirname, '..', '..');
let copy: string;
let base: string;
let generated: string;
let generatedTenant: string;
let generatedStream: string;
/** Feature modules and migrations listed before generation. */
let modulesBefore: string[];
let migrationsBefore: string[];

/** A plural, kebab-case feature name no service has: letters only, so every derived name stays an identifier. */
function uniqueFeatureName(): string {
  const letters = (Date.now() * 1000 + (process.pid % 1000)).toString(26).replace(/[0-9]/g, (d) => 'qrstuvwxyz'[Number(d)]);
  return `gen-${letters}-orders`;
}

const name = uniqueFeatureName(); // e.g. gen-bkdopmqrst-orders
const singular = name.replace(/s$/, ''); // gen-…-order
const Plural = pascalCase(name); // GenBkdopmqrstOrders
const Singular = pascalCase(singular); // GenBkdopmqrstOrder
/** The feature generated with tenancy on (gen-…-invoices). */
const tenantName = name.replace(/orders$/, 'invoices');
const tenantSingular = tenantName.replace(/s$/, '');
const TenantPlural = pascalCase(tenantName);
/** A second feature, generated with `--stream` (GET /<name>/events through the event hub). */
const streamName = name.replace(/orders$/, 'feeds'); // gen-…-feeds
const StreamPlural = pascalCase(streamName);

function pascalCase(kebab: string): string {
  return kebab
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** The names between the brackets of `pattern`'s first capture (`[A, B]`), in order. */
function listIn(text: string, pattern: RegExp): string[] {
  const match = pattern.exec(text);
  if (!match) throw new Error(`no ${pattern} in:\n${text}`);
  return match[1]
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

const featureImports = (text: string) => listIn(text, /imports: \[([^\]]*)\]/);
const migrationList = (text: string) => listIn(text, /export const migrations = \[([^\]]*)\];/);
const readCopy = (file: string) => readFileSync(join(copy, file), 'utf8');

function run(command: string): string {
  return execSync(command, { cwd: copy, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, CI: 'true', FORCE_COLOR: '0' } });
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'chassis-gen-'));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    try {
      cpSync(join(root, file), join(copy, file), { recursive: false, force: true });
    } catch {
      // listed but deleted in the working tree
    }
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  run('git init -q -b main && echo node_modules >> .git/info/exclude');
  run('git add -A && git -c user.name=ci -c user.email=ci@example.invalid commit -qm base');
  base = run('git rev-parse HEAD').trim();
  modulesBefore = featureImports(readCopy('src/features/features.module.ts'));
  migrationsBefore = migrationList(readCopy('migrations/index.ts'));
  // Prompts, if any, answered with their defaults.
  generated = run(`printf '\\n\\n' | TENANT_CLAIM= npx nest g resource ${name}`);
  generatedTenant = run(`TENANT_CLAIM=tenant_id npx nest g resource ${tenantName}`);
  // `nest g` takes only its own flags (it asks for `stream` in a terminal); the schematics CLI takes --stream.
  generatedStream = run(
    `TENANT_CLAIM= npx schematics ./schematics/collection.json:resource ${streamName} --source-root=src/features --stream --no-dry-run --no-debug`,
  );
});

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('nest g resource (the chassis schematic) in a copy of the repository', () => {
  it('writes a complete feature, its migration, its e2e spec and docs, and registers the module', () => {
    for (const file of [
      `src/features/${name}/${name}.module.ts`,
      `src/features/${name}/${name}.controller.ts`,
      `src/features/${name}/${name}.service.ts`,
      `src/features/${name}/index.ts`,
      `src/features/${name}/entities/${singular}.entity.ts`,
      `src/features/${name}/dto/create-${singular}.dto.ts`,
      `src/features/${name}/dto/update-${singular}.dto.ts`,
      `src/features/${name}/dto/list-${name}.query.ts`,
      `test/e2e/features/${name}.e2e-spec.ts`,
      `docs/features/${name}.md`,
    ]) {
      expect(existsSync(join(copy, file))).toBe(true);
    }
    const features = readCopy('src/features/features.module.ts');
    expect(features).toContain(`import { ${Plural}Module } from './${name}/${name}.module';`);
    expect(featureImports(features)).toEqual([...modulesBefore, `${Plural}Module`, `${TenantPlural}Module`, `${StreamPlural}Module`]);
    expect(modulesBefore).toContain('ItemsModule');
    const migrations = migrationList(readCopy('migrations/index.ts'));
    expect(migrations.slice(0, -3)).toEqual(migrationsBefore);
    expect(migrations.at(-3)).toMatch(new RegExp(`^Create${Plural}\\d+$`));
    expect(migrations.at(-2)).toMatch(new RegExp(`^Create${TenantPlural}\\d+$`));
    expect(migrations.at(-1)).toMatch(new RegExp(`^Create${StreamPlural}\\d+$`));
    expect(migrationsBefore).toEqual(expect.arrayContaining(['CreateItems1763700000000', 'AddItemsVersion1764800000000']));
    expect(generated).toContain('CREATE migrations/');
    // Without --stream: no stream files.
    expect(existsSync(join(copy, `src/features/${name}/${name}-events.controller.ts`))).toBe(false);
  });

  it('with --stream, adds the events controller, the changes publisher the service calls, and their e2e spec', () => {
    for (const file of [
      `src/features/${streamName}/${streamName}-events.controller.ts`,
      `src/features/${streamName}/${streamName}.changes.ts`,
      `test/e2e/features/${streamName}-events.e2e-spec.ts`,
    ]) {
      expect(generatedStream).toContain(`CREATE ${file}`);
    }
    const service = readCopy(`src/features/${streamName}/${streamName}.service.ts`);
    for (const kind of ['created', 'updated', 'deleted']) expect(service).toContain(`await this.changes.announce('${kind}'`);
    expect(readCopy(`src/features/${streamName}/${streamName}.module.ts`)).toContain(`${StreamPlural}EventsController`);
  });

  it('with tenancy on where it runs, writes a tenant-scoped feature: entity, migration with RLS, an e2e spec of cross-tenant isolation', () => {
    expect(readCopy(`src/features/${name}/entities/${singular}.entity.ts`)).not.toContain('TenantScoped');
    expect(readCopy(`src/features/${tenantName}/entities/${tenantSingular}.entity.ts`)).toMatch(/@TenantScoped\(\)[^\n]*\n@Entity\(/);
    const migration = /CREATE (migrations\/\d+-create-[a-z-]+\.ts)/.exec(generatedTenant)![1];
    const table = tenantName.replaceAll('-', '_');
    expect(readCopy(migration)).toContain(`{ name: 'tenant_id', type: 'varchar', length: '128', default: "''" }`);
    expect(readCopy(migration)).toContain(`{ name: 'IDX_${table}_tenant_id', columnNames: ['tenant_id'] }`);
    expect(readCopy(migration)).toContain(`await tenantRowLevelSecurity(queryRunner, '${table}');`);
    const spec = readCopy(`test/e2e/features/${tenantName}.e2e-spec.ts`);
    expect(spec).toContain("bootTestApp({ TENANT_CLAIM: 'tenant_id' })");
    expect(spec).toContain('keeps tenants apart');
  });

  it('changes only extensible paths: chassis:check against the base commit passes (paths and route rules)', () => {
    const output = run(`npm run --silent chassis:check -- --base ${base}`);
    expect(output).toMatch(/changed file\(s\) since \w+, none on an immutable path/);
    expect(output).toContain('route rules hold');
  });

  it('lints (feature boundaries included), is formatted and type-checks', () => {
    run('npx eslint . --max-warnings 0');
    run('npx prettier --check .');
    run('npx tsc --noEmit -p tsconfig.json');
  });

  it('lists the new routes with their policies (chassis:routes)', () => {
    const routes = JSON.parse(run('npm run --silent chassis:routes -- --json')) as {
      method: string;
      path: string;
      scopes: string[];
      feature: boolean;
    }[];
    const generatedRoutes = routes
      .filter((r) => r.path === `/${name}` || r.path.startsWith(`/${name}/`))
      .map((r) => `${r.method} ${r.path} ${r.scopes.join(' ')} ${r.feature}`);
    expect(generatedRoutes.sort()).toEqual([
      `DELETE /${name}/:id ${name}:write true`,
      `GET /${name} ${name}:read true`,
      `GET /${name}/:id ${name}:read true`,
      `PATCH /${name}/:id ${name}:write true`,
      `POST /${name} ${name}:write true`,
    ]);
    expect(routes.map((r) => `${r.method} ${r.path} ${r.scopes.join(' ')}`)).toContain(`GET /${streamName}/events ${streamName}:read`);
  });

  // The one step after `nest g resource` that is not generated: the typed client follows the
  // routes (AGENTS.md). Without it, test/e2e/client.e2e-spec.ts fails: the committed client is stale.
  it('npm run client puts the new routes in the document and the typed client, each response typed', () => {
    type OpenApiDocument = {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
    };
    const pathsBefore = Object.keys((JSON.parse(readCopy('client/openapi.json')) as OpenApiDocument).paths);
    run('npm run --silent client');
    const document = JSON.parse(readCopy('client/openapi.json')) as OpenApiDocument;
    expect(pathsBefore).toEqual(expect.arrayContaining(['/items', '/items/{id}']));
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        ...pathsBefore,
        `/${name}`,
        `/${name}/{id}`,
        `/${tenantName}`,
        `/${tenantName}/{id}`,
        `/${streamName}`,
        `/${streamName}/{id}`,
        `/${streamName}/events`,
      ].sort(),
    );
    expect(Object.keys(document.paths[`/${streamName}/events`].get.responses['200'].content!)).toEqual(['text/event-stream']);
    const collection = document.paths[`/${name}`];
    const schemaRef = { $ref: `#/components/schemas/${Singular}` };
    expect(collection.post.responses['201'].content!['application/json'].schema).toEqual(schemaRef);
    expect(collection.get.responses['200'].content!['application/json'].schema).toMatchObject({
      properties: { items: { type: 'array', items: schemaRef } },
    });
    expect(document.paths[`/${name}/{id}`].get.responses['200'].content!['application/json'].schema).toEqual(schemaRef);
    const schema = readCopy('client/schema.d.ts');
    expect(schema).toContain(`"/${name}/{id}": {`);
    expect(schema).toContain(`${Plural}Controller_list`);
    run('npx tsc --noEmit -p tsconfig.json');
  });

  it('passes the whole suite unchanged: the generated e2e spec, the conformance suite, the migration drift check', () => {
    // `npm test` without its pretest (setup), which would reinstall the linked node_modules.
    const jest = spawnSync('npm', ['run', '--ignore-scripts', 'test'], {
      cwd: copy,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', FORCE_COLOR: '0' },
    });
    const output = jest.stdout + jest.stderr;
    // On a failure, the failing suites' report is the assertion message.
    expect(
      jest.status === 0
        ? ''
        : output
            .split('\n')
            .filter((line) => /^(FAIL|\s+●)/.test(line))
            .join('\n') || output.slice(-4000),
    ).toBe('');
    expect(output).toContain(`PASS e2e test/e2e/features/${name}.e2e-spec.ts`);
    expect(output).toContain(`PASS e2e test/e2e/features/${tenantName}.e2e-spec.ts`);
    expect(output).toContain('PASS e2e test/conformance/tenant-isolation.e2e-spec.ts');
    expect(output).toContain(`PASS e2e test/e2e/features/${streamName}-events.e2e-spec.ts`);
    expect(output).toContain('PASS e2e test/conformance/routes.e2e-spec.ts');
    expect(output).toContain('PASS e2e test/e2e/database.e2e-spec.ts');
    expect(output).toContain('PASS e2e test/e2e/client.e2e-spec.ts');
    expect(output).not.toMatch(/\bfailed\b/);
  });

  it('keeps every other nest g schematic (from @nestjs/schematics)', () => {
    // Names of this run too (gen-<letters>-money, …-payments), so a service's own files cannot clash.
    const money = name.replace(/orders$/, 'money');
    const payments = name.replace(/orders$/, 'payments');
    expect(run(`npx nest g class ${money} --no-spec --dry-run`)).toMatch(new RegExp(`CREATE src/features/(${money}/)?${money}\\.ts`));
    expect(run(`npx nest g service ${payments} --no-spec --dry-run`)).toContain(`CREATE src/features/${payments}/${payments}.service.ts`);
  });

  it('builds and serves the new routes through the production builder, authenticated by default', () => {
    run('npx nest build');
    const token = run(`npm run --silent token -- --sub alice --scope "${name}:read ${name}:write"`).trim();
    writeFileSync(
      join(copy, 'serve-check.js'),
      `const { createApp } = require('./dist/src/app');
       (async () => {
         const app = await createApp({ env: { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: 'sqlite::memory:' } });
         const auth = { authorization: 'Bearer ' + process.argv[2] };
         const anonymous = await app.inject({ method: 'GET', url: '/${name}' });
         const created = await app.inject({ method: 'POST', url: '/${name}', headers: auth, payload: { name: 'First order' } });
         const res = await app.inject({ method: 'GET', url: '/${name}', headers: auth });
         process.stdout.write(JSON.stringify({ anonymous: anonymous.statusCode, created: created.statusCode, status: res.statusCode, body: res.json(), requestId: res.headers['x-request-id'] }));
         await app.close();
       })().catch((e) => { console.error(e); process.exit(1); });`,
    );
    const output = run(`node serve-check.js ${token}`);
    rmSync(join(copy, 'serve-check.js')); // a scratch script, not part of the copy that later checks lint
    const result = JSON.parse(output) as {
      anonymous: number;
      created: number;
      status: number;
      body: { items: { name: string; ownerId: string }[]; total: number };
      requestId?: string;
    };
    expect(result.anonymous).toBe(401); // secure by default: no setup in the generated module
    expect(result.created).toBe(201);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ total: 1, items: [{ name: 'First order', ownerId: 'alice' }] });
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

// Runs after the resource's checks above (the same copy): the generated feature gets a queue.
describe('nest g queue (the chassis schematic) on the generated feature', () => {
  let output: string;
  beforeAll(() => {
    output = run(`npx nest g queue ${name}`);
  });

  it('writes the queue, its processor, the route that adds a job and its e2e spec, and registers them in the module', () => {
    for (const file of [
      `src/features/${name}/${name}.queue.ts`,
      `src/features/${name}/${name}.processor.ts`,
      `src/features/${name}/${name}-jobs.controller.ts`,
      `src/features/${name}/dto/${singular}-job-accepted.dto.ts`,
      `test/e2e/features/${name}-queue.e2e-spec.ts`,
    ])
      expect(existsSync(join(copy, file))).toBe(true);
    expect(output).toContain(`UPDATE src/features/${name}/${name}.module.ts`);
    const module = readCopy(`src/features/${name}/${name}.module.ts`);
    expect(module).toContain(`JobsModule.forFeature([${Plural}Queue])`);
    expect(module).toContain(`controllers: [${Plural}Controller, ${Plural}JobsController]`);
    expect(module).toContain(`providers: [${Plural}Service, ${Plural}Processor]`);
  });

  it('lints, is formatted, type-checks and keeps chassis:check green', () => {
    run('npx eslint . --max-warnings 0');
    run('npx prettier --check .');
    run('npx tsc --noEmit -p tsconfig.json');
    expect(run(`npm run --silent chassis:check -- --base ${base}`)).toContain('route rules hold');
  });

  it('passes its generated e2e spec (a job added through the route is processed) and the conformance suite', () => {
    const jest = spawnSync(
      'node',
      [
        '--experimental-vm-modules',
        '--disable-warning=ExperimentalWarning',
        'node_modules/jest/bin/jest.js',
        '--selectProjects',
        'e2e',
        '--',
        `test/e2e/features/${name}-queue.e2e-spec.ts`,
        'test/conformance/routes.e2e-spec.ts',
      ],
      { cwd: copy, encoding: 'utf8', env: { ...process.env, CI: 'true', FORCE_COLOR: '0' } },
    );
    const report = jest.stdout + jest.stderr;
    expect(jest.status === 0 ? '' : report.slice(-4000)).toBe('');
    expect(report).toContain(`PASS e2e test/e2e/features/${name}-queue.e2e-spec.ts`);
  });

  it('builds and processes a job added through the route, in-process', () => {
    run('npx nest build');
    const token = run(`npm run --silent token -- --sub alice --scope "${name}:read ${name}:write"`).trim();
    writeFileSync(
      join(copy, 'queue-check.js'),
      `const { createApp } = require('./dist/src/app');
       (async () => {
         const app = await createApp({ env: { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: 'sqlite::memory:' } });
         const auth = { authorization: 'Bearer ' + process.argv[2] };
         const created = await app.inject({ method: 'POST', url: '/${name}', headers: auth, payload: { name: 'To process' } });
         const queued = await app.inject({ method: 'POST', url: '/${name}/' + created.json().id + '/process', headers: auth });
         process.stdout.write(JSON.stringify({ id: created.json().id, status: queued.statusCode, body: queued.json() }));
         await app.close();
       })().catch((e) => { console.error(e); process.exit(1); });`,
    );
    const result = JSON.parse(run(`node queue-check.js ${token}`)) as { id: string; status: number; body: { jobId: string } };
    expect(result.status).toBe(202);
    expect(result.body.jobId).toBe(`${result.id}-v1`);
  });
});
