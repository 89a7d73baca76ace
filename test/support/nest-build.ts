import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
/** The built entry points the process tests spawn. */
export const BUILT_MAIN = join(root, 'dist', 'src', 'main.js');
export const BUILT_INSTRUMENTATION = join(root, 'dist', 'src', 'instrumentation.js');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs);
}

/**
 * Jest global setup of the suites that run the real process: builds the app
 * (`nest build`, exactly what the image runs) unless `dist/` is newer than
 * every source file, so repeated runs do not pay for it.
 */
export default function nestBuild(): void {
  const sources = ['src', 'migrations', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'].map((p) => join(root, p));
  if (existsSync(BUILT_MAIN) && existsSync(BUILT_INSTRUMENTATION)) {
    const built = statSync(BUILT_MAIN).mtimeMs;
    if (sources.every((source) => newestMtime(source) < built)) return;
  }
  execFileSync(process.execPath, [join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
}
