import { execFileSync, execSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Proves the feature surface: in a throw-away copy of the repository,
 * `nest g resource orders` (REST, CRUD) yields a module under
 * src/features/orders that is registered automatically, lints, builds,
 * passes its generated specs and serves over HTTP through the real builder.
 */
const root = join(__dirname, '..', '..');
let copy: string;

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
  // The two prompts (transport layer, CRUD entry points) answered with their defaults: REST, yes.
  run("printf '\\n\\n' | npx nest g resource orders");
});

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('nest g resource in a copy of the repository', () => {
  it('generates into src/features and registers the module in FeaturesModule', () => {
    const features = readFileSync(join(copy, 'src', 'features', 'features.module.ts'), 'utf8');
    expect(features).toContain("import { OrdersModule } from './orders/orders.module';");
    expect(features).toMatch(/imports: \[ItemsModule, OrdersModule\]/);
  });

  it('lints (including the core boundary rule) and type-checks', () => {
    run('npx eslint src --max-warnings 0');
    run('npx tsc --noEmit -p tsconfig.json');
  });

  it('still passes the whole test suite, the generated specs included', () => {
    // execSync throws on a non-zero exit, i.e. on any failing test.
    const output = run('npx jest --selectProjects unit e2e 2>&1');
    expect(output).toContain('PASS unit src/features/orders/orders.controller.spec.ts');
    expect(output).toContain('PASS unit src/features/orders/orders.service.spec.ts');
    expect(output).not.toMatch(/\bfailed\b/);
  });

  it('builds and serves the new routes through the production builder, authenticated by default', () => {
    run('npx nest build');
    const token = run('npm run --silent token -- --sub alice').trim();
    const script = join(copy, 'serve-check.js');
    mkdirFor(script);
    writeFileSync(
      script,
      `const { createApp } = require('./dist/src/app');
       (async () => {
         const app = await createApp({ env: { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: 'sqlite::memory:' } });
         const anonymous = await app.inject({ method: 'GET', url: '/orders' });
         const res = await app.inject({ method: 'GET', url: '/orders', headers: { authorization: 'Bearer ' + process.argv[2] } });
         process.stdout.write(JSON.stringify({ anonymous: anonymous.statusCode, status: res.statusCode, body: res.body, requestId: res.headers['x-request-id'] }));
         await app.close();
       })().catch((e) => { console.error(e); process.exit(1); });`,
    );
    const result = JSON.parse(run(`node serve-check.js ${token}`)) as {
      anonymous: number;
      status: number;
      body: string;
      requestId?: string;
    };
    expect(result.anonymous).toBe(401); // secure by default: no setup in the generated module
    expect(result.status).toBe(200);
    expect(result.body).toBe('This action returns all orders');
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

function mkdirFor(file: string): void {
  execFileSync('mkdir', ['-p', dirname(file)]);
}
