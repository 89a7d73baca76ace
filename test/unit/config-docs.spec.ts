import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from '../../src/core/settings/config.schema';

const root = join(__dirname, '..', '..');
const schemaVariables = Object.keys(envSchema.shape).sort();

/** Variables named in `.env.example`, set (`X=`) or commented out (`# X=`). */
function envExampleVariables(): string[] {
  const text = readFileSync(join(root, '.env.example'), 'utf8');
  return [...new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]))].sort();
}

/** Variables in the first column of a table row of docs/configuration.md. */
function documentedVariables(): string[] {
  const text = readFileSync(join(root, 'docs', 'configuration.md'), 'utf8');
  return [...new Set([...text.matchAll(/^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|/gm)].map((m) => m[1]))].sort();
}

describe('configuration documentation', () => {
  it('.env.example lists exactly the variables of the schema', () => {
    expect(envExampleVariables()).toEqual(schemaVariables);
  });

  it('docs/configuration.md documents exactly the variables of the schema', () => {
    expect(documentedVariables()).toEqual(schemaVariables);
  });
});
