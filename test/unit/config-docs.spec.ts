import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// The features' modules define their settings when imported, as they do at boot.
import '../../src/features/features.module';
import { definedFeatureSettings } from '../../src/core/config/feature-settings';
import { envSchema } from '../../src/core/settings/config.schema';

const root = join(__dirname, '..', '..');
/** Every variable the service reads: the chassis's, then each feature's own. */
const schemaVariables = [
  ...Object.keys(envSchema.shape),
  ...definedFeatureSettings().flatMap((settings) => Object.keys(settings.block.in.shape)),
].sort();

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
  it('.env.example lists exactly the variables of the schema and of the features’ settings', () => {
    expect(envExampleVariables()).toEqual(schemaVariables);
  });

  it('docs/configuration.md documents exactly the variables of the schema and of the features’ settings', () => {
    expect(documentedVariables()).toEqual(schemaVariables);
  });
});
