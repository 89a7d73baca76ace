import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDotEnv } from './dot-env';

describe('readDotEnv', () => {
  it('parses a .env file without touching process.env', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'env-')), '.env');
    writeFileSync(file, '# comment\nPORT=4000\nLOG_LEVEL="debug"\n');
    expect(readDotEnv(file)).toEqual({ PORT: '4000', LOG_LEVEL: 'debug' });
    expect(process.env.PORT).not.toBe('4000');
  });

  it('returns nothing when the file is absent', () => {
    expect(readDotEnv('/nonexistent/.env')).toEqual({});
  });
});
