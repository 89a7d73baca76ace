import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { type ChassisContract, immutableTouches } from '../../scripts/chassis/contract-paths';

const root = join(__dirname, '..', '..');
const read = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, unknown>;
const contract = read('chassis.json') as unknown as ChassisContract & {
  docs: string;
  agents: string;
  concerns: { id: string; docs: string; folders: string[] }[];
};

describe('chassis.json', () => {
  it('validates against chassis.schema.json', () => {
    const validate = new Ajv2020({ allErrors: true }).compile(read('chassis.schema.json'));
    expect(validate(contract) ? [] : validate.errors).toEqual([]);
  });

  it('has package.json’s version', () => {
    expect(contract.version).toBe(read('package.json').version);
  });

  it('names only paths that exist (except those marked planned), and every core folder is a concern’s', () => {
    const named = [
      contract.docs,
      contract.agents,
      ...contract.concerns.flatMap((c) => [c.docs, ...c.folders]),
      ...[...contract.boundaries.immutable, ...contract.boundaries.extensible].filter((b) => !b.planned).map((b) => b.path),
    ];
    expect(named.filter((path) => !existsSync(join(root, path)))).toEqual([]);
    const coreFolders = readdirSync(join(root, 'src', 'core'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `src/core/${entry.name}`);
    const declared = new Set(contract.concerns.flatMap((c) => c.folders));
    expect([...new Set(coreFolders)].filter((f) => !declared.has(f))).toEqual([]);
  });

  it('seals the chassis and opens the feature surface, with no path both', () => {
    const immutable = contract.boundaries.immutable.map((b) => b.path);
    expect(immutable).toEqual(
      expect.arrayContaining(['src/core/', 'docker/', 'charts/', 'test/support/', '.ci/', 'eslint.config.mjs', 'tsconfig.json']),
    );
    const extensible = contract.boundaries.extensible.map((b) => b.path);
    expect(extensible).toEqual(expect.arrayContaining(['src/features/', 'migrations/', 'test/e2e/features/', 'docs/features/']));
    const sample = extensible.map((path) => `${path}example.ts`);
    expect(immutableTouches(contract, sample)).toEqual([]);
  });
});

/**
 * `chassis:check --base` against a throw-away git repository holding the
 * contract: the real script, the real git, never the working tree's history.
 */
describe('chassis:check (immutable paths)', () => {
  let repo: string;
  let base: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    writeFileSync(join(repo, file), text);
  };
  const check = (...args: string[]) =>
    spawnSync(
      join(root, 'node_modules', '.bin', 'ts-node'),
      ['--transpile-only', join(root, 'scripts', 'chassis-check.ts'), '--paths-only', ...args],
      {
        cwd: repo,
        encoding: 'utf8',
        env: { ...process.env, TS_NODE_PROJECT: join(root, 'tsconfig.json') },
      },
    );

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'chassis-check-'));
    for (const file of ['chassis.json', 'chassis.schema.json', 'package.json']) write(file, readFileSync(join(root, file), 'utf8'));
    write('src/core/http/request-id.ts', 'export const x = 1;\n');
    write('src/features/items/items.service.ts', 'export const y = 1;\n');
    git('init', '-q', '-b', 'main');
    git('-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'add', '-A');
    git('-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-qm', 'base');
    base = git('rev-parse', 'HEAD');
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('fails on a change to src/core, naming the file and why', () => {
    write('src/core/http/request-id.ts', 'export const x = 2;\n');
    const result = check('--base', base);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('src/core/http/request-id.ts');
    expect(result.stdout).toContain('sealed by "src/core/"');
    expect(result.stdout).toContain('the sealed chassis');
  }, 60_000);

  it('fails on a committed change to an immutable file and on a new file under an immutable folder', () => {
    write('eslint.config.mjs', 'export default [];\n');
    write('.ci/run', 'true\n');
    git('-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'add', 'eslint.config.mjs');
    git('-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-qm', 'lint off');
    const result = check('--base', base);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('eslint.config.mjs');
    expect(result.stdout).toContain('.ci/run');
  }, 60_000);

  it('passes a change under src/features, migrations and test/e2e/features', () => {
    write('src/features/items/items.service.ts', 'export const y = 2;\n');
    write('src/features/orders/orders.module.ts', 'export const z = 1;\n');
    write('migrations/1800000000000-create-orders.ts', 'export const m = 1;\n');
    write('test/e2e/features/orders.e2e-spec.ts', 'export const t = 1;\n');
    const result = check('--base', base);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('4 changed file(s)');
    expect(result.stdout).toContain('none on an immutable path');
  }, 60_000);

  it('says clearly when the base is not in the clone (exit 2)', () => {
    const result = check('--base', 'origin/does-not-exist');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('is not a commit in this clone');
  }, 60_000);

  it('without --base, compares with the upstream branch (what git status compares with)', () => {
    git('branch', 'trunk');
    git('checkout', '-q', '-b', 'feature');
    git('branch', '-q', '--set-upstream-to=trunk');
    write('src/core/http/request-id.ts', 'export const x = 2;\n');
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('no --base given: comparing with trunk');
    expect(result.stdout).toContain('src/core/http/request-id.ts');
  }, 60_000);

  it('without --base and without an upstream, compares with main', () => {
    git('checkout', '-q', '-b', 'feature');
    write('src/features/orders/orders.module.ts', 'export const z = 1;\n');
    const result = check();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('no --base given: comparing with main');
    expect(result.stdout).toContain('1 changed file(s)');
  }, 60_000);

  it('without --base, upstream or main, says the immutable paths are not checked', () => {
    git('branch', '-m', 'main', 'trunk');
    const result = check();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('immutable paths not checked (pass --base <ref>)');
  }, 60_000);

  it('refuses a contract whose version differs from package.json (exit 2)', () => {
    write('package.json', JSON.stringify({ name: 'x', version: '9.9.9' }));
    const result = check('--base', base);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('differs from package.json version 9.9.9');
  }, 60_000);
});
