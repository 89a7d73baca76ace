import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * Reads a `.env` file if it exists, without touching `process.env`.
 * Real environment variables win over the file (the caller spreads
 * `process.env` after this). Missing file → `{}`.
 */
export function readDotEnv(path = '.env'): Record<string, string> {
  if (!existsSync(path)) return {};
  return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
}
