import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cachedVersion: string | undefined;

/**
 * The service version from the nearest package.json above this file (read
 * once). Walking up works from `src/` under ts-jest and from `dist/src/` in
 * the image alike.
 */
export function packageVersion(): string {
  if (cachedVersion === undefined) {
    let dir = __dirname;
    while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
    const raw = readFileSync(join(dir, 'package.json'), 'utf8');
    cachedVersion = (JSON.parse(raw) as { version: string }).version;
  }
  return cachedVersion;
}
