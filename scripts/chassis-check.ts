/**
 * Enforces the chassis contract (chassis.json) on a change under review.
 *
 *   npm run chassis:check                       # base: the upstream branch, else main, else origin/main
 *   npm run chassis:check -- --base <git-ref>   # e.g. origin/main
 *
 * 1. chassis.json validates against chassis.schema.json and its version is package.json's.
 * 2. No file changed since the merge base of the base and HEAD (committed,
 *    staged, unstaged or untracked) lies on an immutable path. Without --base,
 *    the base is the upstream branch, else main, else origin/main (scripts/chassis/default-base.ts);
 *    when there is none, this step is skipped and the output says so.
 * 3. The route rules (scripts/chassis/inventory-rules.ts) hold for the real app's
 *    routes: a public write route says why; a feature body is a validated DTO.
 *
 * Exit status: 0 all good, 1 a rule is broken (each file or route is listed
 * with the reason), 2 the check could not run (unknown ref, not a git repository).
 * `--paths-only` skips step 3 (no app boot).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Ajv2020 from 'ajv/dist/2020';
import { type ChassisContract, immutableTouches } from './chassis/contract-paths';
import { checkInventoryRules } from './chassis/inventory-rules';
import { defaultBase } from './chassis/default-base';

class CannotCheck extends Error {}

function git(args: string[]): string {
  return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function readContract(): ChassisContract {
  const contract = JSON.parse(readFileSync('chassis.json', 'utf8')) as ChassisContract;
  const schema = JSON.parse(readFileSync('chassis.schema.json', 'utf8')) as object;
  const validate = new Ajv2020({ allErrors: true }).compile(schema);
  if (!validate(contract)) {
    throw new CannotCheck(
      `chassis.json does not match chassis.schema.json:\n${validate.errors!.map((e) => `  ${e.instancePath || '/'} ${e.message}`).join('\n')}`,
    );
  }
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  if (contract.version !== version)
    throw new CannotCheck(`chassis.json version ${contract.version} differs from package.json version ${version}`);
  return contract;
}

/** Files changed since the merge base of `base` and HEAD: committed, staged, unstaged and untracked. */
function changedFiles(base: string): { since: string; files: string[] } {
  try {
    git(['rev-parse', '--is-inside-work-tree']);
  } catch {
    throw new CannotCheck('not a git repository: run chassis:check from a clone');
  }
  try {
    git(['rev-parse', '--verify', '--quiet', `${base}^{commit}`]);
  } catch {
    throw new CannotCheck(
      `base "${base}" is not a commit in this clone (a shallow clone? fetch it first: git fetch --depth=50 origin main), so the immutable paths cannot be checked`,
    );
  }
  let since = base;
  try {
    since = git(['merge-base', base, 'HEAD']).trim();
  } catch {
    // No common ancestor in a shallow history: compare with the base itself.
  }
  const lines = (out: string) => out.split('\n').filter(Boolean);
  const files = new Set([
    ...lines(git(['diff', '--name-only', '--no-renames', since])),
    ...lines(git(['ls-files', '--others', '--exclude-standard'])),
  ]);
  return { since, files: [...files].sort() };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { base: { type: 'string' }, 'paths-only': { type: 'boolean', default: false } } });
  const contract = readContract();
  let failed = false;

  const base = values.base ?? defaultBase(git);
  if (base === undefined) {
    process.stdout.write(
      'chassis:check: no --base given and no upstream branch, main or origin/main: immutable paths not checked (pass --base <ref>)\n',
    );
  } else {
    if (values.base === undefined) process.stdout.write(`chassis:check: no --base given: comparing with ${base}\n`);
    const { since, files } = changedFiles(base);
    const touches = immutableTouches(contract, files);
    if (touches.length > 0) {
      failed = true;
      process.stdout.write(
        `chassis:check: this change touches ${touches.length} file(s) on immutable paths of the chassis (chassis.json boundaries.immutable), since ${since.slice(0, 12)}:\n` +
          touches.map((t) => `  ${t.file}\n      sealed by "${t.boundary.path}": ${t.boundary.why}`).join('\n') +
          '\n  Features change only extensible paths (src/features/, migrations/, test/e2e/features/, docs/features/).' +
          '\n  A change to the chassis itself is a separate change to the chassis, reviewed as such.\n',
      );
    } else {
      process.stdout.write(`chassis:check: ${files.length} changed file(s) since ${since.slice(0, 12)}, none on an immutable path\n`);
    }
  }

  if (!values['paths-only']) {
    // Required only here: --paths-only never loads the app.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { inspectRoutes } = require('./chassis/inspect-app') as typeof import('./chassis/inspect-app');
    const routes = await inspectRoutes();
    const violations = checkInventoryRules(routes, contract.policy.publicWriteAllowList);
    if (violations.length > 0) {
      failed = true;
      process.stdout.write(
        `chassis:check: ${violations.length} route rule violation(s):\n${violations.map((v) => `  [${v.rule}] ${v.message}`).join('\n')}\n`,
      );
    } else {
      process.stdout.write(`chassis:check: ${routes.length} routes, route rules hold\n`);
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof CannotCheck) {
      process.stderr.write(`chassis:check: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`chassis:check: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
