import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
// An existing feature file, so the typed lint rules resolve it; its text is replaced.
const featureFile = join(root, 'src', 'features', 'items', 'items.service.ts');

/**
 * Lints `code` as if it were a feature file, with the project's real ESLint
 * config (in a child process: Jest cannot load the ESM config file).
 */
async function boundaryErrors(code: string): Promise<string[]> {
  const eslint = join(root, 'node_modules', '.bin', 'eslint');
  const result = spawnSync(eslint, ['--stdin', '--stdin-filename', featureFile, '--format', 'json'], {
    cwd: root,
    input: code,
    encoding: 'utf8',
  });
  const [report] = JSON.parse(result.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return report.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the core boundary (ESLint)', () => {
  it('refuses a feature importing core internals', async () => {
    const errors = await boundaryErrors("import { loadConfig } from '../../core/config/load-config';\nexport const x = loadConfig;\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('public API');
  });

  it('accepts the public API', async () => {
    expect(await boundaryErrors("import { NotFoundError } from '../../core';\nexport const x = NotFoundError;\n")).toEqual([]);
    expect(await boundaryErrors("import { NotFoundError } from '../../core/index';\nexport const x = NotFoundError;\n")).toEqual([]);
  });
});
