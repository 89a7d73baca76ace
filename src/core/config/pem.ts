import { readFileSync } from 'node:fs';

/** Accepts PEM text or a path to a PEM file (read as UTF-8; a missing file throws the `fs` error). */
export function readPemOrFile(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8');
}
